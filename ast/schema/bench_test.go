package schema

import "testing"

// benchCommands are frequent command lines of the Dockerfile corpora.
var benchCommands = []string{
	`apt-get update`,
	`apt-get install -y --no-install-recommends ca-certificates curl gnupg dirmngr wget`,
	`rm -rf /var/lib/apt/lists/*`,
	`mkdir -p /usr/src/app`,
	`curl -fsSL https://example.org/x.tar.gz -o x.tar.gz`,
	`tar -xzf x.tar.gz -C /usr/local --strip-components=1`,
	`apk add --no-cache --virtual .build-deps gcc musl-dev make`,
	`gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys B42F6819007F00F88E364FD4036A9C25BF357DD4`,
	`sha256sum -c -`,
	`chmod +x /usr/local/bin/gosu`,
	`make -j$(nproc) install`,
	`./configure --prefix=/usr/local --enable-shared --with-openssl=/usr`,
	`pip install --no-cache-dir -r requirements.txt`,
	`npm ci --omit=dev`,
	`find /usr/local -depth ( -type d -a -name test ) -exec rm -rf {} +`,
	`sudo -u app env HOME=/home/app bash -c 'echo hi'`,
	`set -eux`,
	`echo 'deb http://deb.debian.org/debian bookworm main'`,
	`useradd -r -g app --uid=1000 app`,
	`go build -ldflags=-s -o /app ./cmd/app`,
}

// BenchmarkBind binds every command of benchCommands once per iteration.
func BenchmarkBind(b *testing.B) {
	type command struct {
		name string
		args []Arg
	}
	commands := make([]command, len(benchCommands))
	bytes := 0
	for i, line := range benchCommands {
		name, args := splitCommand(b, line)
		commands[i] = command{name, args}
		for _, a := range args {
			bytes += len(a.Value)
		}
	}

	b.ReportAllocs()
	b.SetBytes(int64(bytes))
	for b.Loop() {
		for _, c := range commands {
			Bind(c.name, c.args)
		}
	}
}

// BenchmarkResolve resolves command words of every kind.
func BenchmarkResolve(b *testing.B) {
	names := []string{"apt-get", "/usr/bin/apt-get", "python3.11", "../configure", "/docker-entrypoint.sh", "frobnicate"}
	b.ReportAllocs()
	for b.Loop() {
		for _, name := range names {
			Resolve(name)
		}
	}
}
