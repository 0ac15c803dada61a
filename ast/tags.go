package ast

import "strings"

// Tag is one abstraction of a literal operand. Rules and the miner match tags
// instead of raw text, so that "https://example.org/a.tgz" and
// "https://downloads.example.com/b.tgz" are both a TagURL with TagHTTPS and
// TagArchive.
type Tag string

// The tag vocabulary. A word may carry several tags.
const (
	TagURL      Tag = "url" // scheme://..., or a git@host:path remote
	TagHTTPS    Tag = "scheme:https"
	TagHTTP     Tag = "scheme:http"
	TagFTP      Tag = "scheme:ftp"
	TagGitURL   Tag = "scheme:git" // git://, git+https://, git@host:path
	TagPath     Tag = "path"       // contains a slash, or is . or ..
	TagAbsolute Tag = "path:absolute"
	TagRelative Tag = "path:relative"
	TagHome     Tag = "path:home" // ~/..., $HOME/...
	TagArchive  Tag = "archive"   // .tar.gz, .tgz, .zip, .deb, ...
	TagSig      Tag = "signature" // .asc, .sig, .gpg
	TagSumsFile Tag = "checksum-file"
	TagVersion  Tag = "version"  // 1.2.3, v2.0, 1.2.3-r0
	TagChecksum Tag = "checksum" // 32, 40, 64 or 128 hex digits
	TagNumber   Tag = "number"
	TagVariable Tag = "variable" // contains an expansion: $VAR, ${VAR}, $(cmd)
	TagGlob     Tag = "glob"     // contains *, ? or [
	TagPackage  Tag = "package"  // the schema's role for the operand is package
	TagPinned   Tag = "pinned"   // a package with a version: pkg=1.2, pkg==1.2, pkg@1.2
)

// Well-known directories, tagged "dir:NAME" on paths at or under them.
var wellKnownDirs = []struct {
	prefix string
	tag    Tag
}{
	{"/var/lib/apt/lists", "dir:apt-lists"},
	{"/var/cache/apt", "dir:apt-cache"},
	{"/var/cache/apk", "dir:apk-cache"},
	{"/etc/apk/cache", "dir:apk-cache"},
	{"/var/cache/yum", "dir:yum-cache"},
	{"/var/cache/dnf", "dir:dnf-cache"},
	{"/var/cache/zypp", "dir:zypper-cache"},
	{"/var/cache/debconf", "dir:debconf-cache"},
	{"/var/log", "dir:log"},
	{"/root/.cache/pip", "dir:pip-cache"},
	{"~/.cache/pip", "dir:pip-cache"},
	{"$HOME/.cache/pip", "dir:pip-cache"},
	{"/root/.cache", "dir:user-cache"},
	{"~/.cache", "dir:user-cache"},
	{"/root/.npm", "dir:npm-cache"},
	{"~/.npm", "dir:npm-cache"},
	{"/usr/local/share/.cache/yarn", "dir:yarn-cache"},
	{"/root/.gem", "dir:gem-cache"},
	{"~/.gem", "dir:gem-cache"},
	{"/root/.cargo/registry", "dir:cargo-cache"},
	{"/usr/local/cargo/registry", "dir:cargo-cache"},
	{"/root/.composer/cache", "dir:composer-cache"},
	{"/tmp/pear", "dir:pear-cache"},
	{"/root/go/pkg/mod", "dir:go-cache"},
	{"/go/pkg/mod", "dir:go-cache"},
	{"/root/.gnupg", "dir:gnupg-home"},
	{"/usr/src", "dir:usr-src"},
	{"/tmp", "dir:tmp"},
	{"/var/tmp", "dir:tmp"},
	{"/etc/apt/sources.list", "dir:apt-sources"},
	{"/etc/apt/keyrings", "dir:apt-keyrings"},
	{"/usr/share/keyrings", "dir:apt-keyrings"},
	{"/usr/share/doc", "dir:docs"},
	{"/usr/share/man", "dir:docs"},
	{"/usr/local/bin", "dir:bin"},
	{"/usr/bin", "dir:bin"},
}

var archiveExts = []string{
	".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst", ".tar.lz", ".tar", ".tgz", ".tbz", ".tbz2", ".txz",
	".zip", ".gz", ".bz2", ".xz", ".zst", ".7z", ".jar", ".war", ".whl", ".gem", ".deb", ".rpm", ".apk", ".nupkg",
}

// extTags holds the ext:EXT tag of each archive extension, made once.
var extTags = func() map[string]Tag {
	tags := make(map[string]Tag, len(archiveExts))
	for _, ext := range archiveExts {
		tags[ext] = Tag("ext:" + strings.TrimPrefix(ext, "."))
	}
	return tags
}()

// tagWord computes the tags of an operand word; role is its schema role.
func tagWord(w *Word, role string) []Tag {
	return Tags(w.Value, !w.Static, role)
}

// Tags computes the abstraction tags of a value. dynamic reports that the
// value holds an expansion; role is the schema role of the operand, or "".
func Tags(value string, dynamic bool, role string) []Tag {
	tags := make([]Tag, 0, 4)
	if dynamic || strings.Contains(value, "$") {
		tags = append(tags, TagVariable)
	}
	if role == "package" {
		tags = append(tags, TagPackage)
		if isPinned(value) {
			tags = append(tags, TagPinned)
		}
	}

	lower := strings.ToLower(value)
	if scheme, ok := urlScheme(lower); ok {
		tags = append(tags, TagURL)
		switch scheme {
		case "https":
			tags = append(tags, TagHTTPS)
		case "http":
			tags = append(tags, TagHTTP)
		case "ftp":
			tags = append(tags, TagFTP)
		case "git", "git+https", "git+ssh", "ssh":
			tags = append(tags, TagGitURL)
		}
	} else {
		tags = pathTags(value, tags)
	}

	tags = fileTags(lower, tags)
	switch {
	case isChecksum(value):
		tags = append(tags, TagChecksum)
	case isNumber(value):
		tags = append(tags, TagNumber)
	case isVersion(value):
		tags = append(tags, TagVersion)
	}
	if strings.ContainsAny(value, "*?[") {
		tags = append(tags, TagGlob)
	}
	return tags
}

func urlScheme(lower string) (string, bool) {
	if strings.HasPrefix(lower, "git@") && strings.Contains(lower, ":") {
		return "git", true
	}
	scheme, rest, ok := strings.Cut(lower, "://")
	if !ok || scheme == "" || rest == "" {
		return "", false
	}
	for _, c := range scheme {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return "", false
		}
	}
	return scheme, true
}

func pathTags(value string, tags []Tag) []Tag {
	if !strings.Contains(value, "/") && value != "." && value != ".." && value != "~" {
		return tags
	}
	tags = append(tags, TagPath)
	switch {
	case strings.HasPrefix(value, "/"):
		tags = append(tags, TagAbsolute)
	case strings.HasPrefix(value, "~"), strings.HasPrefix(value, "$HOME"), strings.HasPrefix(value, "${HOME}"):
		tags = append(tags, TagHome)
	default:
		tags = append(tags, TagRelative)
	}

	for _, d := range wellKnownDirs {
		rest, ok := strings.CutPrefix(value, d.prefix)
		if ok && (rest == "" || rest[0] == '/' || rest[0] == '*') {
			tags = append(tags, d.tag)
			break
		}
	}
	return tags
}

func fileTags(lower string, tags []Tag) []Tag {
	if strings.IndexByte(lower, '.') < 0 && !strings.Contains(lower, "sums") {
		return tags
	}
	for _, ext := range archiveExts {
		if strings.HasSuffix(lower, ext) {
			tags = append(tags, TagArchive, extTags[ext])
			break
		}
	}
	for _, ext := range []string{".asc", ".sig", ".gpg", ".sign"} {
		if strings.HasSuffix(lower, ext) {
			tags = append(tags, TagSig)
			break
		}
	}
	base := lower[strings.LastIndex(lower, "/")+1:]
	if strings.HasSuffix(base, ".sha256") || strings.HasSuffix(base, ".sha512") || strings.HasSuffix(base, ".sha1") ||
		strings.HasSuffix(base, ".md5") || strings.Contains(base, "sums") {
		tags = append(tags, TagSumsFile)
	}
	return tags
}

// isPinned reports whether a package operand names a version: apt's
// pkg=1.2, pip's pkg==1.2 or pkg>=1.2, npm's pkg@1.2, apk's pkg=1.2-r0.
func isPinned(value string) bool {
	if strings.ContainsAny(value, "=<>~") {
		return true
	}
	if at := strings.LastIndex(value, "@"); at > 0 {
		return true
	}
	return false
}

// HasTag reports whether a word carries tag t.
func (w *Word) HasTag(t Tag) bool {
	for _, x := range w.Tags {
		if x == t {
			return true
		}
	}
	return false
}

// isChecksum reports 32, 40, 64 or 128 hex digits: MD5, SHA-1, SHA-256 or
// SHA-512.
func isChecksum(s string) bool {
	switch len(s) {
	case 32, 40, 64, 128:
	default:
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isVersion reports a dotted version such as 1.2, v1.2.3 or 1.2.3-r0: an
// optional v, digits, at least one dot followed by digits, then an optional
// suffix starting with - + ~ . or _.
func isVersion(s string) bool {
	s = strings.TrimPrefix(s, "v")
	digits := func(i int) int {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		return j
	}

	i := digits(0)
	if i == 0 {
		return false
	}
	dots := 0
	for i < len(s) && s[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			break
		}
		dots++
		i = j
	}
	if dots == 0 {
		return false
	}
	if i == len(s) {
		return true
	}
	if !strings.ContainsRune("-+~._", rune(s[i])) {
		return false
	}
	for _, c := range s[i+1:] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.ContainsRune(".+~-", c)) {
			return false
		}
	}
	return true
}
