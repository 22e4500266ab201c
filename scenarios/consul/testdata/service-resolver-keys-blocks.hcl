# The same kind of entry in HCL 1 block syntax with snake_case keys, as
# `consul config write` also accepts it (Consul's HookTranslateKeys).
kind            = "service-resolver"
name            = "keys"
connect_timeout = "5s"
default_subset  = "v2"

subsets "v2" {
  filter       = "Service.Meta.version == v2"
  only_passing = true
}

failover "v2" {
  datacenters = ["dc-eu-2", "dc-us-east"]
}
