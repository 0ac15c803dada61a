package rules

// Candidate is a rule the miner proposes, with the evidence a reviewer needs.
// The miner writes one per line to candidates.jsonl, best first; review reads
// them back. Field names are the file format and stay stable.
type Candidate struct {
	ID           string    `json:"id"`           // stable: derived from the normalized pattern
	Kind         string    `json:"kind"`         // flag, operand, follows, precedes, absent, instruction
	Scope        string    `json:"scope"`        // script (same RUN), stage or file
	Antecedent   string    `json:"antecedent"`   // canonical text, as "apt-get install"
	Consequent   string    `json:"consequent"`   // canonical text, as "--no-install-recommends"
	Alternatives []string  `json:"alternatives"` // other consequents that also satisfy the rule
	Text         string    `json:"text"`         // one English sentence stating the rule
	Support      Support   `json:"support"`
	Confidence   float64   `json:"confidence"`         // satisfied / (satisfied + violated) in the expert corpus
	Contrast     *Contrast `json:"contrast,omitempty"` // absent without a contrast corpus
	Lift         float64   `json:"lift"`
	Score        float64   `json:"score"` // the ranking key, higher first
	Examples     Examples  `json:"examples"`
	Pattern      *Pattern  `json:"pattern,omitempty"` // the rule in the rule language, for review and approval
}

// Support counts where a candidate's antecedent was seen and satisfied.
type Support struct {
	Instances int `json:"instances"` // antecedent occurrences that satisfy the rule
	Files     int `json:"files"`
	Repos     int `json:"repos"`
	Families  int `json:"families"` // template families: near-duplicate files count once
}

// Contrast is how the contrast corpus (ordinary repositories) behaves.
type Contrast struct {
	Instances  int     `json:"instances"`
	Confidence float64 `json:"confidence"`
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
