package rules

import (
	"path"
	"strings"

	"github.com/dockmine/dockmine/ast"
)

func init() {
	register(&Builtin{Name: "pipefail", Doc: "a pipeline in RUN whose shell does not fail on a failed pipe stage", run: checkPipefail})
}

// pipefailShells can turn on pipefail. dash, the /bin/sh of Debian and
// Ubuntu, cannot (dash 0.5.12), so SHELL ["/bin/sh", "-o", "pipefail"]
// is not enough there. BusyBox ash, Alpine's /bin/sh, can, but the rule
// cannot tell which /bin/sh an image has, so it requires a named shell.
var pipefailShells = map[string]bool{"bash": true, "zsh": true, "ksh": true, "mksh": true, "ash": true}

// Messages of the pipefail check. Stock Alpine and BusyBox images have no
// bash, but their BusyBox ash takes -o pipefail, so the message for them
// names ash.
const (
	pipefailBash = "set SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] before this RUN so a failure inside the pipeline fails the build"
	pipefailAsh  = "set SHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"] before this RUN so a failure inside the pipeline fails the build"
)

// checkPipefail reports the first pipeline of a RUN when a failure of a
// command before the last pipe would not fail the build: the SHELL in force
// is not a pipefail-capable shell with -o pipefail, and the script does not
// run set -o pipefail before the pipeline. The SHELL is inherited from the
// stage a stage is built FROM (hadolint 2.12 forgets it at every FROM).
func checkPipefail(c *checkContext, out []Finding) []Finding {
	for _, s := range c.instructions() {
		script := s.inst.Script
		if s.inst.Keyword != "RUN" || script == nil || script.Err != nil {
			continue
		}
		if script.Dialect != ast.DialectPOSIX && script.Dialect != ast.DialectBash && script.Dialect != ast.DialectMksh {
			continue
		}
		if shellHasPipefail(c.fx.shellOf(s)) {
			continue
		}
		for _, cmd := range script.Commands {
			if cmd.Is("set", "") && setsPipefail(cmd) {
				break
			}
			if cmd.Context.PipeLen > 1 && cmd.Context.Pipeline == 1 {
				msg := pipefailBash
				if c.fx.busyBoxStage(s.stage()) {
					msg = pipefailAsh
				}
				out = append(out, c.finding(cmd.Range, msg, nil))
				break
			}
		}
	}
	return out
}

// shellHasPipefail reports whether a SHELL runs a pipefail-capable shell
// with -o pipefail among its options.
func shellHasPipefail(shell []string) bool {
	if len(shell) == 0 || !pipefailShells[path.Base(shell[0])] {
		return false
	}
	for i, arg := range shell[1:] {
		if arg == "-opipefail" || arg == "-o pipefail" {
			return true
		}
		if strings.HasPrefix(arg, "-") && strings.HasSuffix(arg, "o") && i+2 < len(shell) && shell[i+2] == "pipefail" {
			return true
		}
	}
	return false
}

// setsPipefail reports whether a set command turns pipefail on.
func setsPipefail(cmd *ast.Command) bool {
	for _, f := range cmd.Flags {
		if f.Value != nil && f.Value.Value == "pipefail" && !strings.HasPrefix(f.Spelling, "+") {
			return true
		}
	}
	return false
}
