package rules

// Candidate is a rule the miner proposes, with the evidence a reviewer needs.
// The miner writes one per line to candidates.jsonl, best first; review reads
// them back. Field names are the file format and stay stable.
type Candidate struct {
	ID           string   `json:"id"`           // stable: derived from the normalized pattern
	Kind         string   `json:"kind"`         // flag, operand, follows, precedes, absent, instruction
	Scope        string   `json:"scope"`        // script (same RUN), stage or file
	Antecedent   string   `json:"antecedent"`   // canonical text, as "apt-get install"
	Consequent   string   `json:"consequent"`   // canonical text, as "--no-install-recommends"
	Alternatives []string `json:"alternatives"` // other consequents that also satisfy the rule
	Text         string   `json:"text"`         // one English sentence stating the rule
	Support      Support  `json:"support"`
	// Confidence is family-weighted, in [0, 1]: each template family of the
	// expert corpus in which the antecedent occurs contributes the share of
	// its occurrences there that satisfy the rule, and Confidence is the
	// mean of those shares. It equals Support.Instances / (Support.Instances
	// + Support.Violated) when all families have the same number of occurrences.
	Confidence float64   `json:"confidence"`
	Contrast   *Contrast `json:"contrast,omitempty"` // absent without a contrast corpus
	Lift       float64   `json:"lift"`
	Score      float64   `json:"score"` // the ranking key, higher first
	Examples   Examples  `json:"examples"`
	// ExampleBad and ExampleGood are whole Dockerfiles cut from the corpus
	// files of violated and satisfied examples, without repeats. Each is an
	// example's instruction with the FROM of its stage and the ENV, ARG,
	// SHELL and WORKDIR before it. [FromCandidate] tries them first for the
	// rule's examples.
	ExampleBad  []string `json:"example_bad,omitempty"`
	ExampleGood []string `json:"example_good,omitempty"`
	Pattern     *Pattern `json:"pattern,omitempty"` // the rule in the rule language, for review and approval
}

// Support counts where a candidate's antecedent was seen and satisfied.
// Files, Repos and Families count those with at least one satisfying
// occurrence.
type Support struct {
	Instances int `json:"instances"` // antecedent occurrences that satisfy the rule
	Violated  int `json:"violated"`  // antecedent occurrences that break it
	Files     int `json:"files"`
	Repos     int `json:"repos"`
	Families  int `json:"families"` // template families: near-duplicate files count once
}

// Contrast holds the figures of the contrast corpus (ordinary repositories).
type Contrast struct {
	Instances  int     `json:"instances"`  // antecedent occurrences that satisfy the rule
	Confidence float64 `json:"confidence"` // family-weighted, as Candidate.Confidence
}

// Examples are source lines that satisfy and violate a candidate.
type Examples struct {
	Satisfied []Example `json:"satisfied"`
	Violated  []Example `json:"violated"`
}

// Example is one place in a corpus file.
type Example struct {
	File string `json:"file"` // path as the corpus names it, with the repository
	Line int    `json:"line"` // 1-based
	Text string `json:"text"` // the source line
}
