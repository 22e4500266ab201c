package scenarios

// Defaults of the balance kind: Envoy's own, where Istio does not set them.
const (
	DefaultOverprovisioning   = 140
	DefaultPanicThreshold     = 50
	DefaultBalanceRetries     = 0
	DefaultBalanceTimeout     = Duration(5)
	DefaultConsecutiveErrors  = 5
	DefaultOutlierInterval    = Duration(10)
	DefaultBaseEjectionTime   = Duration(30)
	DefaultMaxEjectionPercent = 10
	DefaultLocalityWeight     = 1
	DefaultHosts              = 1
)

// Datacenters lists the datacenters b names, in priority order, each once;
// none for a nil b.
func (b *Balance) Datacenters() []ID {
	if b == nil {
		return nil
	}
	var out []ID
	seen := map[ID]bool{}
	for _, priority := range b.Priorities {
		for _, l := range priority {
			if !seen[l.Datacenter] {
				seen[l.Datacenter] = true
				out = append(out, l.Datacenter)
			}
		}
	}
	return out
}

// EffectiveWeight is Weight, or its default when absent.
func (l BalanceLocality) EffectiveWeight() int { return orDefault(l.Weight, DefaultLocalityWeight) }

// EffectiveHosts is Hosts, or its default when absent.
func (l BalanceLocality) EffectiveHosts() int { return orDefault(l.Hosts, DefaultHosts) }

// EffectiveOverprovisioning is Overprovisioning, or its default when absent.
func (b *Balance) EffectiveOverprovisioning() int {
	return orDefault(b.Overprovisioning, DefaultOverprovisioning)
}

// EffectivePanicThreshold is PanicThreshold, or its default when absent.
func (b *Balance) EffectivePanicThreshold() int {
	return orDefault(b.PanicThreshold, DefaultPanicThreshold)
}

// EffectiveRetries is Retries, or its default when absent.
func (b *Balance) EffectiveRetries() int { return orDefault(b.Retries, DefaultBalanceRetries) }

// EffectiveConnectTimeout is ConnectTimeout, or its default when absent.
func (b *Balance) EffectiveConnectTimeout() Duration {
	return orDefault(b.ConnectTimeout, DefaultBalanceTimeout)
}

// EffectiveConsecutiveErrors is ConsecutiveErrors, or its default when absent.
func (o *OutlierDetection) EffectiveConsecutiveErrors() int {
	return orDefault(o.ConsecutiveErrors, DefaultConsecutiveErrors)
}

// EffectiveInterval is Interval, or its default when absent.
func (o *OutlierDetection) EffectiveInterval() Duration {
	return orDefault(o.Interval, DefaultOutlierInterval)
}

// EffectiveBaseEjectionTime is BaseEjectionTime, or its default when absent.
func (o *OutlierDetection) EffectiveBaseEjectionTime() Duration {
	return orDefault(o.BaseEjectionTime, DefaultBaseEjectionTime)
}

// EffectiveMaxEjectionPercent is MaxEjectionPercent, or its default when absent.
func (o *OutlierDetection) EffectiveMaxEjectionPercent() int {
	return orDefault(o.MaxEjectionPercent, DefaultMaxEjectionPercent)
}
