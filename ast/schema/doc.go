// Package schema binds the arguments of a shell command to its flags and
// operands. It is the fourth phase of dockmine's parser: after the
// Dockerfile instructions and the shell code inside RUN have been parsed,
// [Bind] reads the words of each simple command with a declarative schema
// of that command.
//
// Schemas are data. They live in commands/*.schema, are embedded in the
// binary and are read once at init into lookup tables, so [Bind] does no
// parsing of schema text and allocates little beyond its result slices.
//
// # Binding
//
// [Bind] takes the command word as written and the argument words after it.
// It resolves the name (see [Resolve]), then reads the words from left to
// right:
//
//   - A word that starts with "--" is a long flag: --yes, --opt=v or
//     --opt v.
//   - A word that starts with one dash is first looked up whole (find -name,
//     wget -nv), then as a number (head -5), then as a prefix family
//     (-Xmx512m), and otherwise split into short flags (-xzf). A short flag
//     that takes a value takes the rest of its word (-ov) or the next word
//     (-o v). Repeats of one letter are one flag with a Count (-qq).
//   - "--" ends the flags. Later words are operands.
//   - The first operand of a command with subcommands selects the
//     subcommand, and a second one may select a second level
//     (npm cache clean).
//   - Other words are operands. Their roles come from the operand pattern of
//     the command, subcommand or mode flag.
//
// Every index in a [Binding] points into the args slice given to [Bind],
// including after "python -m pip", where [Binding.Start] is the index of
// pip's first argument. For every [Flag], args[Arg].Value[Offset:Offset+Len]
// is its Spelling. A flag whose value is in the same word has ValueArg ==
// Arg, and args[ValueArg].Value[ValueOffset:] is the value.
//
// Wrappers such as sudo, env, xargs, timeout and find -exec report the
// command that they run as an [Exec] range. Shells (sh -c, bash -c) and su
// -c report the index of their script in [Binding.Scripts]. The caller binds
// or parses those in turn.
//
// A word that is not static (it contains $VAR or $(...)) is read like any
// other. Inside a cluster of short flags an expansion ends the cluster, and
// the rest of the word becomes one unknown flag.
//
// # Name resolution
//
// [Resolve] maps a command word to a canonical name:
//
//   - A path in /bin, /sbin, /usr/bin, /usr/sbin, /usr/local/bin or
//     /usr/local/sbin resolves to its base name: /usr/bin/apt-get is apt-get.
//   - A path whose base name is configure (./configure, ../configure,
//     $SRC/configure) is "./configure".
//   - An alias resolves to its command: pip3 is pip.
//   - A version suffix resolves to the family when the schema is marked
//     versioned: python3.11 is python, pip3.12 is pip, gcc-12 is gcc.
//   - Any other path, such as /docker-entrypoint.sh, keeps its text and has
//     no schema.
//
// # Schema files
//
// A schema file is a list of lines. Blank lines are ignored, and "#" starts
// a comment when it begins a line or follows a blank. The first word of a
// line names what the line declares:
//
//	command NAME...       starts a schema; every NAME is a canonical name that shares it
//	version TEXT          the tool and version that the flags follow, as "apt-get 2.6 (Debian 12)"
//	alias NAME...         other words that resolve to the first NAME (pip3 for pip)
//	versioned             a version suffix resolves to the first NAME (python3.11)
//	module NAME           the schema is reached by "python -m NAME"
//	pin OP...             operators between a package and its version, for [SplitPackage]
//	style WORD...         parsing conventions of the command, listed below
//	operands PATTERN      the operand pattern of the current level
//	sub WORD [WORD]       starts a subcommand of one or two levels; "|" separates aliases: sub install|i
//	group NAME            starts a named list of flag, sub, operands and use lines
//	use NAME...           replays the lines of groups at the current level
//	-x --long ...         a flag line
//
// Lines after "sub" belong to that subcommand until the next "sub". Flags of
// the command itself are also valid after a subcommand, and a subcommand's
// flags shadow them.
//
// A flag line lists the spellings of one flag, then optionally its value
// and attributes:
//
//	-y --yes --assume-yes         a boolean flag with three spellings
//	-o --option =setting          a value of role "setting": -o v, -ov, --option=v, --option v
//	--color [=string]             an optional value, only inline: --color=auto
//	-j --jobs [=number]           an optional number also takes a next word of digits: make -j 4
//	--install =path =name =path =number   more value words, bound as operands with those roles
//	--enable-* [=string]          a family: every spelling with that prefix, named by its own spelling
//	-Xmx* =string glued           a family whose value is the rest of the word: -Xmx512m
//	-n --lines -NUM =number       -NUM matches a dash and digits (head -5): the digits are the value
//	-c => script name? argument...   selects another operand pattern when present
//	-m =module stop dispatch      stop ends the flags after the value, and dispatch hands the
//	                              remaining words to the schema whose module is the value
//	-exec exec                    the following words up to ";" or "{} +" are a command
//
// The canonical name of a flag is its first double-dash spelling, or its
// first spelling when it has none.
//
// An operand pattern is a list of roles, each optionally followed by "?"
// (optional), "+" (one or more) or "..." (any number). Slots take operands
// from left to right, each at least its minimum while the later slots can
// still get theirs, so "path+ destination" gives the last operand of
// cp a b c the role "destination". Operands beyond every slot get the role
// "argument". A last "exec..." slot starts the command of a wrapper, as in
// "user exec..." for gosu. A first "assignment..." slot takes the NAME=value
// words before that command, as in env. A subcommand without a pattern
// gives its operands the role "argument".
//
// Styles:
//
//	posix        flags end at the first operand (wrappers, shells, getopt with "+")
//	no-cluster   a single-dash word is one flag (find -name, java -jar)
//	go           Go's flag package: -flag and --flag are one flag, no clusters, posix
//	oldtar       a first word without a dash is a cluster of short flags (tar xzf)
//	plus         words that start with "+" turn shell options off (set +x)
//	echo         a dash word with a letter that is not a flag is an operand (echo -foo)
//	no-options   every word is an operand (test, [)
//	find         operands after the first expression word have role "expression"
//	mode         a dash word that spells a symbolic mode is an operand (chmod -x)
//	assignments  NAME=value operands have role "assignment" (make, configure)
//	abbrev       a unique prefix of a long flag selects it (getopt_long, gpg)
//
// # Roles
//
// Operands and flag values share one vocabulary of roles:
//
//	archive        an archive or package file: tar -f, unzip, dpkg -i
//	argument       passed on unchanged to a program, script or module
//	assignment     NAME=value: env, export, make
//	checksum-file  a file of checksums to verify: sha256sum -c
//	command        the name of a command that is looked up, not run: command -v, which
//	destination    the target of a copy, move, link or install
//	directory      a directory
//	duration       a time span: timeout 10s, sleep 1
//	expression     a test expression (test, [) or a word of a find expression
//	extension      a PHP extension: docker-php-ext-install
//	file           a regular file
//	format         a format string: printf, date +%s, --format
//	group          a group name or id
//	header         an HTTP header: curl -H
//	host           a host name or address, with an optional port
//	key            a key id, fingerprint or name: gpg --recv-keys
//	keyserver      a key server URL: gpg --keyserver
//	list           a comma-separated list
//	locale         a locale name: locale-gen en_US.UTF-8
//	mode           a file mode: chmod, install -m
//	module         a Go package or module, a Python module, a Node or Ruby library
//	name           a name that the tool defines: an npm script, a service, a repository id
//	number         a number
//	owner          a user with an optional group: chown user:group
//	package        a package, optionally with a version: curl=7.88.1-10, pkg@1.2, pkg==1.0, pkg>=1
//	path           a file or directory path
//	pattern        a regular expression or glob
//	platform       an architecture, target triple or platform: --target x86_64-unknown-linux-gnu
//	program        code in a language other than the shell: awk, sed, python -c, perl -e
//	revision       a Git commit, branch or tag
//	script         shell code to parse; listed in Binding.Scripts
//	script-file    a file of code to run: bash script.sh, python app.py
//	setting        a KEY=VALUE or key setting: apt-get -o, git -c, --setopt
//	signal         a signal name or number
//	string         free text
//	target         a build target or goal: make install, mvn package
//	url            a URL
//	user           a user name or id, with an optional :group for gosu and su-exec
//	variable       a shell variable name
//	version        a version or toolchain name
//	words          shell words that eval joins into a script
//
// # Limits
//
// Flags follow the tool versions named in each schema. Abbreviated long
// flags are accepted only for commands whose style is abbrev. A generic
// "--no-" prefix is not understood, so a negated form is known only where
// the schema lists it (--no-install-recommends). An optional value is read
// only inline, except for the number rule above; tools whose parser also
// takes the next word (cargo -p NAME) declare the value as required.
package schema
