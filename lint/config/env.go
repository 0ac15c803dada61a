package config

import (
	"strconv"
	"strings"
)

// Environment variables read by [FromEnv].
const (
	EnvIgnored             = "DOCKMINE_IGNORED"
	EnvFailureThreshold    = "DOCKMINE_FAILURE_THRESHOLD"
	EnvTrustedRegistries   = "DOCKMINE_TRUSTED_REGISTRIES"
	EnvPacks               = "DOCKMINE_PACKS"
	EnvFormat              = "DOCKMINE_FORMAT"
	EnvDisableIgnorePragma = "DOCKMINE_DISABLE_IGNORE_PRAGMA"
	envOverridePrefix      = "DOCKMINE_OVERRIDE_" // followed by ERROR, WARNING, INFO or STYLE
)

// FromEnv reads the settings layer of the environment through getenv,
// usually [os.Getenv]. Lists are comma-separated, and an empty variable is
// unset. A bad value returns an [*Error] that names the variable.
func FromEnv(getenv func(string) string) (Settings, error) {
	var s Settings
	s.Ignored = envList(getenv, EnvIgnored)
	for _, sev := range Severities {
		name := envOverridePrefix + strings.ToUpper(sev)
		for _, code := range envList(getenv, name) {
			s.Overrides = append(s.Overrides, Override{Severity: sev, Code: code})
		}
	}
	s.TrustedRegistries = envList(getenv, EnvTrustedRegistries)
	s.Packs = envList(getenv, EnvPacks)

	if v := envScalar(getenv, EnvFailureThreshold); v != nil {
		if err := checkThreshold(*v); err != nil {
			return s, err
		}
		s.FailureThreshold = v
	}
	s.Format = envScalar(getenv, EnvFormat)

	if v := envScalar(getenv, EnvDisableIgnorePragma); v != nil {
		b, err := strconv.ParseBool(v.Text)
		if err != nil {
			return s, v.Errorf("invalid boolean %q: use true or false", v.Text)
		}
		s.DisableIgnorePragma = &b
	}
	return s, nil
}

func envScalar(getenv func(string) string, name string) *Value {
	text := strings.TrimSpace(getenv(name))
	if text == "" {
		return nil
	}
	return &Value{Text: text, Origin: Origin{Name: name}}
}

// SplitList splits a comma-separated list, dropping empty items, and tags
// each item with origin. Flags use it too.
func SplitList(text string, origin Origin) []Value {
	var out []Value
	for _, item := range strings.Split(text, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, Value{Text: item, Origin: origin})
		}
	}
	return out
}

func envList(getenv func(string) string, name string) []Value {
	return SplitList(getenv(name), Origin{Name: name})
}
