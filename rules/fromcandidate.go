package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// FromCandidate turns a mined candidate into a rule record with status
// "proposed", ready to be written with [Rule.WriteFile] and reviewed. The
// pattern and evidence come from the candidate. The examples are a bad one
// the rule flags and a good one it passes, picked in this order of
// preference: the candidate's example Dockerfiles (ExampleBad and
// ExampleGood, shortest first), its corpus lines, and Dockerfiles generated
// from its antecedent and consequent. Where none fits, the generated ones
// are kept for a reviewer to fix, and Compile reports them. The severity
// starts at info; Date is left for the caller to set.
func FromCandidate(c *Candidate, code, name string) *Rule {
	r := &Rule{
		Code:      code,
		Name:      name,
		Title:     candidateTitle(c),
		Severity:  SeverityInfo,
		Status:    StatusProposed,
		Rationale: candidateRationale(c),
		Message:   candidateMessage(c),
		Evidence: &Evidence{
			Candidate:  c.ID,
			Support:    c.Support,
			Confidence: c.Confidence,
			Contrast:   c.Contrast,
			Lift:       c.Lift,
			Samples:    sampleExamples(c.Examples, 5),
		},
	}
	if c.Pattern != nil {
		r.Pattern = *c.Pattern
	}
	if r.Scope == "" {
		r.Scope = c.Scope
	}
	r.Examples = pickExamples(r, c)
	return r
}

// pickExamples tries the candidate's example Dockerfiles, its violated
// and satisfied corpus lines and the generated examples, and keeps the
// first bad one the rule flags and the first good one it passes.
//
// NOTE: the candidate's examples are cut out of corpus files, which belong
// to their authors. They are fine for checking a candidate, but a rule file
// committed to a repository should carry examples its reviewer wrote
// (dockmine review approve --bad FILE --good FILE), as rules/mined does.
func pickExamples(r *Rule, c *Candidate) ExampleFiles {
	generated := candidateExamples(c)
	bad := slices.Concat(shortestFirst(c.ExampleBad), corpusExamples(c.Examples.Violated), generated.Bad)
	good := slices.Concat(shortestFirst(c.ExampleGood), corpusExamples(c.Examples.Satisfied), generated.Good)

	p := &Pack{Rules: []*Rule{r}}
	if err := p.build(); err != nil {
		return generated
	}
	all := func(*Rule) bool { return true }
	pick := func(list []string, flagged bool) string {
		for _, src := range list {
			findings, err := p.lint("example", []byte(src), all)
			if err == nil && (len(findings) > 0) == flagged {
				return src
			}
		}
		return ""
	}

	out := generated
	if src := pick(bad, true); src != "" {
		out.Bad = []string{src}
	}
	if src := pick(good, false); src != "" {
		out.Good = []string{src}
	}
	return out
}

// shortestFirst returns the Dockerfiles sorted by length, keeping the order
// of those of equal length, so that a rule shows the smallest example that
// works.
func shortestFirst(docs []string) []string {
	out := slices.Clone(docs)
	slices.SortStableFunc(out, func(a, b string) int { return len(a) - len(b) })
	return out
}

// corpusExamples turns corpus lines into one-instruction Dockerfiles. A
// line that continues a RUN gets RUN in front and loses its trailing
// backslash and leading && or ;.
func corpusExamples(lines []Example) []string {
	var out []string
	for _, ex := range lines {
		text := strings.TrimSpace(ex.Text)
		text = strings.TrimSpace(strings.TrimSuffix(text, "\\"))
		text = strings.TrimSpace(strings.TrimLeft(text, "&|;"))
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		keyword, _, _ := strings.Cut(text, " ")
		if !instructionKeywords[strings.ToUpper(keyword)] {
			text = "RUN " + text
		}
		if strings.EqualFold(keyword, "FROM") {
			out = append(out, text+"\n")
			continue
		}
		out = append(out, "FROM debian:12.6\n"+text+"\n")
	}
	return out
}

var instructionKeywords = map[string]bool{
	"ADD": true, "ARG": true, "CMD": true, "COPY": true, "ENTRYPOINT": true, "ENV": true, "EXPOSE": true,
	"FROM": true, "HEALTHCHECK": true, "LABEL": true, "MAINTAINER": true, "ONBUILD": true, "RUN": true,
	"SHELL": true, "STOPSIGNAL": true, "USER": true, "VOLUME": true, "WORKDIR": true,
}

// candidateTitle makes a one-line, lower-case title without a final period
// from the candidate's sentence.
func candidateTitle(c *Candidate) string {
	title := strings.TrimSpace(strings.SplitN(c.Text, "\n", 2)[0])
	if title == "" {
		title = strings.TrimSpace(c.Antecedent + " without " + c.Consequent)
	}
	title = strings.TrimRight(title, ".")
	if len(title) > 1 && title[0] >= 'A' && title[0] <= 'Z' && (title[1] < 'A' || title[1] > 'Z') {
		title = strings.ToLower(title[:1]) + title[1:]
	}
	return title
}

func candidateRationale(c *Candidate) string {
	var sb strings.Builder
	sb.WriteString(strings.TrimSpace(c.Text))
	fmt.Fprintf(&sb, "\n\nMined from the expert corpus: %d instances in %d files of %d repositories satisfy it, confidence %.2f",
		c.Support.Instances, c.Support.Files, c.Support.Repos, c.Confidence)
	if c.Contrast != nil {
		fmt.Fprintf(&sb, ", against %.2f in ordinary repositories", c.Contrast.Confidence)
	}
	sb.WriteString(".\n")
	return sb.String()
}

// candidateMessage words the finding by the candidate's kind.
func candidateMessage(c *Candidate) string {
	cons := notPlaceholders(c.Consequent)
	text := notPlaceholders(strings.TrimRight(strings.ToLower(c.Text), "."))
	switch c.Kind {
	case "flag":
		return "add " + cons + " to {command}"
	case "follows":
		return "run " + cons + " after {command} in the same " + scopeNoun(c.Scope)
	case "precedes":
		return "run " + cons + " before {command} in the same " + scopeNoun(c.Scope)
	case "absent":
		return "avoid {command}: " + text
	}
	if c.Consequent != "" {
		return "use " + cons + " with {command}"
	}
	return text
}

// notPlaceholders writes mined text that a message would read as a
// placeholder, such as the %{ARCH} of rpm --qf=%{ARCH}, with angle
// brackets: %<ARCH>.
//
// NOTE: the message then differs from the flag value it names; the rule's
// pattern keeps the value as mined.
func notPlaceholders(s string) string {
	return placeholderPattern.ReplaceAllStringFunc(s, func(m string) string {
		i := strings.IndexByte(m, '{')
		return m[:i] + "<" + m[i+1:len(m)-1] + ">"
	})
}

func scopeNoun(scope string) string {
	switch scope {
	case ScopeStage, ScopeChain:
		return "stage"
	case ScopeFile:
		return "Dockerfile"
	}
	return "RUN"
}

// candidateExamples writes a bad and a good Dockerfile from the candidate's
// canonical texts: the antecedent alone, then with the consequent added,
// or the other way round for an absent rule. An operand rule gets the
// antecedent's command with an operand that lacks the tag, then with one
// that has it.
func candidateExamples(c *Candidate) ExampleFiles {
	const header = "FROM debian:12.6\n"
	anteText := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(c.Antecedent), shippedMark))
	ante := fillPlaceholders(fillObject(anteText, true))
	cons := fillPlaceholders(fillObject(strings.TrimSpace(c.Consequent), false))
	if ante == "" {
		return ExampleFiles{}
	}
	bad := header + "RUN " + ante + "\n"
	var good string
	switch c.Kind {
	case "flag":
		good = header + "RUN " + ante + " " + cons + "\n"
	case "follows":
		good = header + "RUN " + ante + " && " + cons + "\n"
	case "precedes":
		good = header + "RUN " + cons + " && " + ante + "\n"
	case "absent":
		// The consequent is what experts leave out, so using it is the violation.
		bad = header + "RUN " + ante + " " + cons + "\n"
		good = header + "RUN " + ante + "\n"
	case "operand":
		name, _, ok := strings.Cut(anteText, " <")
		with, without := placeholderValues[c.Consequent], valuesWithout[c.Consequent]
		if !ok || with == "" || without == "" {
			return ExampleFiles{Bad: []string{bad}}
		}
		bad = header + "RUN " + name + " " + without + "\n"
		good = header + "RUN " + name + " " + with + "\n"
	default:
		return ExampleFiles{Bad: []string{bad}}
	}
	return ExampleFiles{Bad: []string{bad}, Good: []string{good}}
}

// shippedMark ends a mined antecedent counted only in stages whose layers
// reach the final image.
const shippedMark = "[final image]"

// fillObject replaces the object label that ends a mined antecedent or
// consequent, as "tar --extract @archive" or "rm @output", with a sample
// word. In an antecedent, "@output" stores the command's output in a
// variable and "@--home" gives the flag a value. In a consequent, the
// command names that variable or value.
func fillObject(text string, antecedent bool) string {
	cmd, label, ok := strings.Cut(text, " @")
	if !ok {
		return text
	}
	switch {
	case label == "output" && antecedent:
		return `out="$(` + cmd + `)"`
	case label == "output":
		return cmd + ` "$out"`
	case strings.HasPrefix(label, "-") && antecedent:
		return cmd + " " + label + " /opt/app"
	case label == "archive" && strings.HasPrefix(cmd, "tar"):
		// tar reads its first word as options when it has no dash.
		return cmd + " -f " + placeholderValues[label]
	case placeholderValues[label] != "":
		return cmd + " " + placeholderValues[label]
	}
	return cmd + " /opt/app"
}

// valuesWithout are sample words that lack a tag, for the bad example of an
// operand rule that requires it.
var valuesWithout = map[string]string{
	"scheme:https": "http://example.org/app-1.0.tar.gz", "path:absolute": "app/config",
	"path:relative": "/opt/app", "pinned": "curl", "signature": "/tmp/app-1.0.tar.gz",
	"archive": "/tmp/app-1.0.txt", "version": "latest",
}

var placeholder = regexp.MustCompile(`<([a-z][a-z:-]*)>`)

// placeholderValues are sample words for the tag placeholders that mined
// antecedents and consequents carry, as "rm <dir:apt-lists>".
var placeholderValues = map[string]string{
	"dir:apt-lists": "/var/lib/apt/lists/*", "dir:apt-cache": "/var/cache/apt/*", "dir:apk-cache": "/var/cache/apk/*",
	"dir:yum-cache": "/var/cache/yum", "dir:dnf-cache": "/var/cache/dnf", "dir:zypper-cache": "/var/cache/zypp",
	"dir:pip-cache": "/root/.cache/pip", "dir:user-cache": "/root/.cache", "dir:npm-cache": "/root/.npm",
	"dir:usr-src": "/usr/src/app", "dir:tmp": "/tmp/build", "dir:bin": "/usr/local/bin/app", "dir:log": "/var/log/app",
	"dir:docs": "/usr/share/doc", "dir:gnupg-home": "/root/.gnupg", "dir:apt-keyrings": "/etc/apt/keyrings/app.gpg",
	"path": "/opt/app", "path:absolute": "/opt/app", "path:relative": "app", "path:home": "~/app",
	"url": "https://example.org/app-1.0.tar.gz", "scheme:https": "https://example.org/app-1.0.tar.gz",
	"scheme:http": "http://example.org/app-1.0.tar.gz", "archive": "/tmp/app-1.0.tar.gz",
	"signature": "/tmp/app-1.0.tar.gz.asc", "checksum-file": "/tmp/SHA256SUMS", "package": "curl", "pinned": "curl=7.88.1",
	"version": "1.0.0", "number": "1000", "checksum": "6a9c445de4b6032aa2db2b30f03bc24f9af2f17be05c708e94549943240923a7",
}

// fillPlaceholders replaces the tag placeholders of a mined text with
// sample words; a "dir:" tag without a sample becomes /opt/app.
func fillPlaceholders(text string) string {
	return placeholder.ReplaceAllStringFunc(text, func(m string) string {
		tag := m[1 : len(m)-1]
		if v, ok := placeholderValues[tag]; ok {
			return v
		}
		return "/opt/app"
	})
}

func sampleExamples(ex Examples, n int) []Example {
	out := append([]Example(nil), ex.Violated...)
	out = append(out, ex.Satisfied...)
	if len(out) > n {
		out = out[:n]
	}
	return out
}
