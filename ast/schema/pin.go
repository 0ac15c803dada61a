package schema

import "strings"

// SplitPackage splits an operand of role "package" into the package name,
// the operator that pins it and the version, using the pin operators of the
// command's schema: "curl=7.88.1-10" for apt-get, "pkg@1.2" for npm,
// "pkg>=1,<2" for pip. It returns value, "", "" when the command has no pin
// operators or value has none.
//
// Operator "/" (apt-get pkg/bookworm-backports) selects a release, not a
// version. Operator "-" (pecl redis-5.3.7) matches only before a digit, and
// "@" never at the start, where npm writes a scope (@types/node@20). A value
// that starts with "." or "/" is a local path and is not split.
func SplitPackage(command, value string) (name, op, version string) {
	e := resolve(command)
	if e.schema == nil || len(e.schema.pins) == 0 || strings.HasPrefix(value, ".") || strings.HasPrefix(value, "/") {
		return value, "", ""
	}
	for i := range len(value) {
		for _, pin := range e.schema.pins {
			if !strings.HasPrefix(value[i:], pin) {
				continue
			}
			rest := value[i+len(pin):]
			if pin == "@" && i == 0 || pin == "-" && (rest == "" || rest[0] < '0' || rest[0] > '9') {
				continue
			}
			return value[:i], pin, rest
		}
	}
	return value, "", ""
}
