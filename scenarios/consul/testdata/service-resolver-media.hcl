Kind           = "service-resolver"
Name           = "media"
ConnectTimeout = "2s"
RequestTimeout = "15s"

Subsets = {
  "eu" = {
    Filter      = "Service.Meta.jurisdiction == EU"
    OnlyPassing = true
  }
}

Failover = {
  "eu" = {
    Targets = [
      { Datacenter = "dc-eu-2", ServiceSubset = "eu" },
      { Peer = "eu-west-peer", Service = "media" },
    ]
  }
  "*" = {
    Datacenters = ["dc-us-east", "dc-cn-north"]
  }
}
