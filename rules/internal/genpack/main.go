// Command genpack compiles every rule pack under the current directory into
// the default pack that package rules embeds. go generate runs it from the
// rules directory.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/dockmine/dockmine/rules"
)

func main() {
	out := flag.String("o", "default.json", "output file of the compiled pack")
	flag.Parse()

	if err := generate(".", *out); err != nil {
		fmt.Fprintf(os.Stderr, "genpack: %v\n", err)
		os.Exit(1)
	}
}

func generate(root, out string) error {
	dirs, err := rules.PackDirs(root)
	if err != nil {
		return err
	}
	list, err := rules.LoadDirs(dirs)
	if err != nil {
		return err
	}
	pack, err := rules.Compile(list)
	if err != nil {
		return err
	}
	data, err := pack.Marshal()
	if err != nil {
		return err
	}
	return os.WriteFile(out, data, 0o644)
}
