package scenarios

import (
	"reflect"
	"strconv"
	"strings"
)

// Subject rewrites path, a scenario path as Source.Pos takes it,
// so that it names each list item by what it is rather than where it
// stands: "routing.whitelists.kms-pool[3]" becomes
// "routing.whitelists.kms-pool[cn-bj-1]", "routing.routes[2].keys" becomes
// "routing.routes[eu].keys", "populations[4].id" becomes
// "populations[in-free].id". Two versions of a scenario name the same item
// by the same subject however the lists around it were edited, which is
// what a diff matches findings by.
//
// Items with an id are named by it, routes by region or region/plan,
// policy rules by name or, unnamed, by their selector, members of lists
// of ids or codes by their value, and a balance's localities by their
// datacenter; other items keep their index.
func (s *Scenario) Subject(path string) string {
	v := reflect.ValueOf(s).Elem()
	var b strings.Builder
	for rest := path; rest != ""; {
		if rest[0] == '[' {
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return path
			}
			token := rest[1:end]
			rest = rest[end+1:]
			i, err := strconv.Atoi(token)
			if err != nil || v.Kind() != reflect.Slice || i < 0 || i >= v.Len() {
				b.WriteString("[" + token + "]")
				v = reflect.Value{}
				continue
			}
			v = indirect(v.Index(i))
			b.WriteString("[" + itemName(v, i) + "]")
			continue
		}
		rest = strings.TrimPrefix(rest, ".")
		end := strings.IndexAny(rest, ".[")
		if end < 0 {
			end = len(rest)
		}
		name := rest[:end]
		rest = rest[end:]
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(name)
		v = child(v, name)
	}
	return b.String()
}

// indirect follows pointers to the value they point at.
func indirect(v reflect.Value) reflect.Value {
	for v.IsValid() && v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

// child is the field of a struct with the YAML name name (looking into
// inline fields), or the entry of a map with that key; the zero Value
// when there is none.
func child(v reflect.Value, name string) reflect.Value {
	v = indirect(v)
	switch {
	case !v.IsValid():
		return v
	case v.Kind() == reflect.Map && v.Type().Key().Kind() == reflect.String:
		return indirect(v.MapIndex(reflect.ValueOf(name).Convert(v.Type().Key())))
	case v.Kind() != reflect.Struct:
		return reflect.Value{}
	}
	t := v.Type()
	for i := range t.NumField() {
		tag := t.Field(i).Tag.Get("yaml")
		yamlName, options, _ := strings.Cut(tag, ",")
		switch {
		case yamlName == name:
			return indirect(v.Field(i))
		case strings.Contains(options, "inline"):
			if c := child(v.Field(i), name); c.IsValid() {
				return c
			}
		}
	}
	return reflect.Value{}
}

// itemName names item i of a list by what it is (see Subject).
func itemName(v reflect.Value, i int) string {
	switch item := v.Interface().(type) {
	case Route:
		return item.Key()
	case PolicyRule:
		return item.Key()
	case ID:
		return string(item)
	case Code:
		return string(item)
	case BalanceLocality:
		return string(item.Datacenter)
	}
	if v.Kind() == reflect.Struct {
		if id := v.FieldByName("ID"); id.IsValid() && id.Kind() == reflect.String {
			return id.String()
		}
	}
	return strconv.Itoa(i)
}

// Key names a route as overrides do: its region, region/plan, or
// @population for a population's own route.
func (r Route) Key() string {
	if r.Population != "" {
		return "@" + string(r.Population)
	}
	if r.Plan == "" {
		return string(r.Region)
	}
	return string(r.Region) + "/" + string(r.Plan)
}

// Key names a policy rule by its name or, unnamed, by its selector as
// the scenario writes it: "{region: us, plan: free}".
func (r PolicyRule) Key() string {
	if r.Name != "" {
		return r.Name
	}
	var fields []string
	for _, f := range []struct{ name, value string }{
		{"region", string(r.Select.Region)}, {"jurisdiction", string(r.Select.Jurisdiction)}, {"plan", string(r.Select.Plan)},
	} {
		if f.value != "" {
			fields = append(fields, f.name+": "+f.value)
		}
	}
	return "{" + strings.Join(fields, ", ") + "}"
}
