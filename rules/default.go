package rules

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"
)

//go:generate go run ./internal/genpack -o default.json

// defaultJSON is the compiled form of every pack under rules/, written by
// go generate. A test fails when it differs from a fresh compile.
//
//go:embed default.json
var defaultJSON []byte

var (
	defaultOnce sync.Once
	defaultPack *Pack
)

// Default returns the pack built into dockmine: every rule pack of the
// repository, compiled. Callers share it and must not modify it.
func Default() *Pack {
	defaultOnce.Do(func() {
		p, err := ReadPack(bytes.NewReader(defaultJSON))
		if err != nil {
			// The file is generated and tested, so this is a build defect.
			panic(fmt.Sprintf("rules: embedded default pack: %v", err))
		}
		defaultPack = p
	})
	return defaultPack
}
