// Package config reads the settings of dockmine lint from configuration
// files and the environment.
//
// # Files
//
// A .dockmine.yaml (or .dockmine.yml) holds these keys, all optional:
//
//	ignored: [DM3008, DL3009]        # rule codes or aliases never reported
//	override:                        # severity per rule code or alias
//	  error: [DM3004]
//	  warning: []
//	  info: []
//	  style: []
//	failure-threshold: warning       # error, warning, info, style or none
//	trusted-registries: [registry.example.org]
//	packs: [../packs/extra.yaml]     # rule packs, relative to the file
//	format: tty                      # report format
//	disable-ignore-pragma: false     # ignore "# dockmine ignore=" comments
//
// A .hadolint.yaml is read the same way, with hadolint's spelling of
// trustedRegistries and its no-fail and no-color keys. Its label-schema and
// strict-labels keys are accepted and have no effect. Codes in either file
// are resolved through rule aliases by the caller, which is why this package
// keeps them as text with their position.
//
// Any error in a file, from bad YAML to an unknown key or a value of the
// wrong type, is an [*Error] that prints as path:line:col: message.
//
// # Search
//
// [Finder] looks for the file that governs a Dockerfile: first a dockmine
// file in the Dockerfile's directory and each parent, then in the working
// directory, then dockmine.yaml in the user configuration directory. Only
// when none exists does it repeat the search for hadolint's names.
//
// # Environment
//
// [FromEnv] reads DOCKMINE_ variables named after the keys:
// DOCKMINE_IGNORED, DOCKMINE_OVERRIDE_ERROR (and _WARNING, _INFO, _STYLE),
// DOCKMINE_FAILURE_THRESHOLD, DOCKMINE_TRUSTED_REGISTRIES, DOCKMINE_PACKS,
// DOCKMINE_FORMAT and DOCKMINE_DISABLE_IGNORE_PRAGMA. Lists are
// comma-separated. An empty variable counts as unset.
//
// # Precedence
//
// [Merge] layers settings: defaults, then the file, then the environment,
// then flags. A later scalar replaces an earlier one. Lists accumulate, and
// for a rule named in two override lists the later layer's severity wins.
package config
