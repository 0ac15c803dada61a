package rules

// ignorePragmaCheckName is the meta rule on ignore pragmas. The linter
// reads pragmas and reports a pragma without a reason or one that
// suppressed nothing; this package only reserves the name.
const ignorePragmaCheckName = "ignore-pragma"

func init() {
	register(&Builtin{
		Name:     ignorePragmaCheckName,
		Doc:      "an ignore pragma without a reason, or one that suppressed nothing; reported by the linter",
		External: true,
		run:      func(_ *checkContext, out []Finding) []Finding { return out },
	})
}
