package schema

import "testing"

// aliasesCases contains flags whose spellings bind to one canonical name.
var aliasesCases = []bindCase{
	{"short", `apt-get -y install curl`, `apt-get install --yes(-y)@0 package@2`},
	{"long", `apt-get --yes install curl`, `apt-get install --yes(--yes)@0 package@2`},
	{"second long", `apt-get install --assume-yes curl`, `apt-get install --yes(--assume-yes)@1 package@2`},
	{"gpg abbreviation", `gpg --batch --recv-key KEY`, `gpg --batch(--batch)@0 --recv-keys(--recv-key)@1 key@2`},
	{"gpg full", `gpg --keyserver hkps://keys.openpgp.org --recv-keys KEY`, `gpg --keyserver(--keyserver)@0=hkps://keys.openpgp.org@1 --recv-keys(--recv-keys)@2 key@3`},
	{"apk abbreviation", `apk --update add curl`, `apk add --update-cache(--update)@0 package@2`},
	{"git alias", `git clone --recursive https://x`, `git clone --recurse-submodules(--recursive)@1 url@2`},
}

func TestBindAliases(t *testing.T) { runBindCases(t, aliasesCases) }

// countsCases contains repeated letters, which are one flag with a count.
var countsCases = []bindCase{
	{"qq", `apt-get -qq update`, `apt-get update --quiet(-qq)@0*2`},
	{"apt equals level", `apt-get -q=2 update`, `apt-get update --quiet(-q)@0=2@0+3`},
}

func TestBindCounts(t *testing.T) { runBindCases(t, countsCases) }

// valuesCases contains flag values in every written form.
var valuesCases = []bindCase{
	{"separate short", `apt-get -o APT::Install-Recommends=false install x`, `apt-get install --option(-o)@0=APT::Install-Recommends=false@1 package@3`},
	{"glued short", `apt-get -oDebug::NoLocking=1 update`, `apt-get update --option(-o)@0=Debug::NoLocking=1@0+2`},
	{"long equals", `curl --output=f https://x`, `curl --output(--output)@0=f@0+9 url@1`},
	{"long separate", `curl --output f https://x`, `curl --output(--output)@0=f@1 url@2`},
	{"short inline", `curl -of https://x`, `curl --output(-o)@0=f@0+2 url@1`},
	{"optional inline", `sed -i.bak -e s/a/b/ f`, `sed --in-place(-i)@0=.bak@0+2 --expression(-e)@1=s/a/b/@2 file@3`},
	{"optional takes rest of cluster", `sed -ie s/a/b/ f`, `sed --in-place(-i)@0=e@0+2 program@1 file@2`},
	{"optional number separate", `make -j 4 install`, `make --jobs(-j)@0=4@1 target@2`},
	{"two values", `jq --arg name v .x f.json`, `jq --arg(--arg)@0=name@1 string@2 program@3 file@4`},
	{"four values", `update-alternatives --install /usr/bin/java java /opt/java/bin/java 100`, `update-alternatives --install(--install)@0=/usr/bin/java@1 name@2 path@3 number@4`},
	{"numeric flag", `head -5 file`, `head --lines(-)@0=5@0+1 file@1`},
	{"numeric long form", `head -n 5 file`, `head --lines(-n)@0=5@1 file@2`},
	{"nice numeric", `nice -10 make`, `nice --adjustment(-)@0=10@0+1 exec[1:2]`},
	{"inline after equals sign", `useradd -r -g app --uid=1000 app`, `useradd --system(-r)@0 --gid(-g)@1=app@2 --uid(--uid)@3=1000@3+6 user@4`},
	{"glued value letters", `xargs -n1 -P4 curl -O`, `xargs --max-args(-n)@0=1@0+2 --max-procs(-P)@1=4@1+2 exec[2:4]`},
	{"long equals family", `apk add --no-cache --virtual=.build-deps gcc`, `apk add --no-cache(--no-cache)@1 --virtual(--virtual)@2=.build-deps@2+10 package@3`},
}

func TestBindValues(t *testing.T) { runBindCases(t, valuesCases) }

// clustersCases contains combined short flags and old-style tar keys.
var clustersCases = []bindCase{
	{"tar dash", `tar -xzf a.tgz`, `tar --extract(-x)@0 --gzip(z)@0+2 --file(f)@0+3=a.tgz@1`},
	{"tar old style", `tar xzf a.tgz`, `tar --extract(x)@0 --gzip(z)@0+1 --file(f)@0+2=a.tgz@1`},
	{"tar old style value order", `tar cfb out.tar 20 dir`, `tar --create(c)@0 --file(f)@0+1=out.tar@1 --blocking-factor(b)@0+2=20@2 path@3`},
	{"tar old style then flag", `tar xvfz a.tgz -C /opt`, `tar --extract(x)@0 --verbose(v)@0+1 --file(f)@0+2=a.tgz@1 --gzip(z)@0+3 --directory(-C)@2=/opt@3`},
	{"tar create", `tar -czf out.tgz -C /src .`, `tar --create(-c)@0 --gzip(z)@0+2 --file(f)@0+3=out.tgz@1 --directory(-C)@2=/src@3 path@4`},
	{"tar long value", `tar -xJf a.tar.xz --strip-components=1 -C /opt`, `tar --extract(-x)@0 --xz(J)@0+2 --file(f)@0+3=a.tar.xz@1 --strip-components(--strip-components)@2=1@2+19 --directory(-C)@3=/opt@4`},
	{"curl value last", `curl -fsSLo /tmp/x.tgz https://x`, `curl --fail(-f)@0 --silent(s)@0+2 --show-error(S)@0+3 --location(L)@0+4 --output(o)@0+5=/tmp/x.tgz@1 url@2`},
	{"shell options", `set -eux`, `set -e(-e)@0 -u(u)@0+2 -x(x)@0+3`},
}

func TestBindClusters(t *testing.T) { runBindCases(t, clustersCases) }

// endOfOptionsCases contains "--", which ends the flags.
var endOfOptionsCases = []bindCase{
	{"rm", `rm -f -- -weird`, `rm --force(-f)@0 path@2`},
	{"npm run passes args", `npm run build -- --prod`, `npm run name@1 argument@3`},
	{"echo prints it", `echo -- x`, `echo string@0 string@1`},
}

func TestBindEndOfOptions(t *testing.T) { runBindCases(t, endOfOptionsCases) }

// operandRolesCases contains operands and the roles that patterns give them.
var operandRolesCases = []bindCase{
	{"cp destination last", `cp a b /dst`, `cp path@0 path@1 destination@2`},
	{"cp target directory flag", `cp -t /dst a b`, `cp --target-directory(-t)@0=/dst@1 path@2 path@3`},
	{"ln link", `ln -s /opt/app/bin/app /usr/local/bin/app`, `ln --symbolic(-s)@0 path@1 destination@2`},
	{"ln one operand", `ln -sf target`, `ln --symbolic(-s)@0 --force(f)@0+2 path@1`},
	{"chown owner", `chown -R app:app /a /b`, `chown --recursive(-R)@0 owner@1 path@2 path@3`},
	{"chmod octal", `chmod 755 /x`, `chmod mode@0 path@1`},
	{"chmod dash mode", `chmod -x /x`, `chmod mode@0 path@1`},
	{"chmod symbolic", `chmod -R u+x /x`, `chmod --recursive(-R)@0 mode@1 path@2`},
	{"useradd login", `useradd -m -s /bin/bash -u 1000 app`, `useradd --create-home(-m)@0 --shell(-s)@1=/bin/bash@2 --uid(-u)@3=1000@4 user@5`},
	{"pip versions", `pip install 'a==1.0' 'b>=2'`, `pip install package@1 package@2`},
	{"apk version", `apk add --no-cache --virtual .build-deps curl=7.1-r0`, `apk add --no-cache(--no-cache)@1 --virtual(--virtual)@2=.build-deps@3 package@4`},
	{"apt version", `apt-get install -y --no-install-recommends ca-certificates curl=7.88.1-10`, `apt-get install --yes(-y)@1 --no-install-recommends(--no-install-recommends)@2 package@3 package@4`},
	{"npm version", `npm install -g pkg@1.2`, `npm install --global(-g)@1 package@2`},
	{"go module version", `go install golang.org/x/tools/gopls@latest`, `go install module@1`},
	{"php extensions", `docker-php-ext-install -j$(nproc) gd mysqli`, `docker-php-ext-install --jobs(-j)@0=$(nproc)@0+2 extension@1 extension@2`},
	{"configure passthrough", `docker-php-ext-configure gd --with-freetype --with-jpeg`, `docker-php-ext-configure extension@0 argument@1 argument@2`},
	{"make assignment", `make -j$(nproc) PREFIX=/usr install`, `make --jobs(-j)@0=$(nproc)@0+2 assignment@1 target@2`},
	{"configure families", `../configure --prefix=/usr --enable-shared --with-openssl=/usr CFLAGS=-O2`, `./configure --prefix(--prefix)@0=/usr@0+9 --enable-shared(--enable-shared)@1 --with-openssl(--with-openssl)@2=/usr@2+15 assignment@3`},
	{"dpkg mode", `dpkg -i x.deb`, `dpkg --install(-i)@0 archive@1`},
	{"checksum stdin", `sha256sum -c -`, `sha256sum --check(-c)@0 checksum-file@1`},
	{"gpg verify", `gpg --batch --verify a.asc a`, `gpg --batch(--batch)@0 --verify(--verify)@1 file@2 file@3`},
	{"test expression", `test -f /x`, `test expression@0 expression@1`},
	{"bracket", `[ -n x ]`, `[ expression@0 expression@1 expression@2`},
	{"export", `export PATH=/x FOO`, `export assignment@0 variable@1`},
	{"eval words", `eval $(ssh-agent)`, `eval words@0`},
	{"awk program", `awk -F: '{print $1}' /etc/passwd`, `awk --field-separator(-F)@0=:@0+2 program@1 file@2`},
	{"sed program", `sed s/a/b/ f`, `sed program@0 file@1`},
	{"grep patterns by flag", `grep -E -e a -e b f`, `grep --extended-regexp(-E)@0 --regexp(-e)@1=a@2 --regexp(-e)@3=b@4 file@5`},
	{"chmod plus mode", `chmod +x /usr/local/bin/x`, `chmod mode@0 path@1`},
	{"mv into directory", `mv /tmp/x /usr/local/bin/`, `mv path@0 destination@1`},
	{"apt-key stdin", `apt-key add -`, `apt-key add file@1`},
	{"busybox adduser", `adduser -S -G app -h /home/app -s /bin/sh -D app`, `adduser --system(-S)@0 --ingroup(-G)@1=app@2 --home(-h)@3=/home/app@4 --shell(-s)@5=/bin/sh@6 --disabled-password(-D)@7 user@8`},
	{"debian adduser", `adduser --system --group --no-create-home app`, `adduser --system(--system)@0 --group(--group)@1 --no-create-home(--no-create-home)@2 user@3`},
	{"gpg export", `gpg --batch --export KEY`, `gpg --batch(--batch)@0 --export(--export)@1 key@2`},
	{"go env write", `go env -w GOPROXY=direct`, `go env -w(-w)@1 assignment@2`},
	{"trap action", `trap 'rm -f /tmp/x' EXIT`, `trap script@0 signal@1 scripts@0`},
}

func TestBindOperandRoles(t *testing.T) { runBindCases(t, operandRolesCases) }

// subcommandsCases contains subcommands of one and two levels.
var subcommandsCases = []bindCase{
	{"npm two levels", `npm cache clean --force`, `npm cache clean --force(--force)@2`},
	{"yarn global", `yarn global add typescript`, `yarn global add package@2`},
	{"git config", `git config --global user.name x`, `git config --global(--global)@1 name@2 string@3`},
	{"git global flag before", `git clone --depth 1 -b v1 https://x /src`, `git clone --depth(--depth)@1=1@2 --branch(-b)@3=v1@4 url@5 directory@6`},
	{"go build", `go build -o /app ./cmd/app`, `go build -o(-o)@1=/app@2 module@3`},
	{"go inline value", `go build -ldflags=-s -o app .`, `go build -ldflags(-ldflags)@1=-s@1+9 -o(-o)@2=app@3 module@4`},
	{"unknown subcommand", `apt-get frobnicate x`, `apt-get frobnicate? argument@1`},
	{"pip cache", `pip cache purge`, `pip cache purge`},
	{"bundle config", `bundle config set --local without development`, `bundle config set --local(--local)@2 name@3 string@4`},
	{"composer", `composer install --no-dev -o --no-interaction`, `composer install --no-dev(--no-dev)@1 --optimize-autoloader(-o)@2 --no-interaction(--no-interaction)@3`},
	{"cargo install", `cargo install --locked cargo-chef`, `cargo install --locked(--locked)@1 package@2`},
	{"cargo chef", `cargo chef cook --release --recipe-path recipe.json`, `cargo chef cook --release(--release)@2 --recipe-path(--recipe-path)@3=recipe.json@4`},
	{"rustup", `rustup target add x86_64-unknown-linux-musl`, `rustup target add platform@2`},
	{"gem", `gem install bundler -v 2.4.22 --no-document`, `gem install --version(-v)@2=2.4.22@3 --no-document(--no-document)@4 package@1`},
	{"yum", `yum -y install httpd`, `yum install --assumeyes(-y)@0 package@2`},
	{"yum clean", `yum clean all`, `yum clean string@1`},
	{"microdnf", `microdnf install -y --nodocs shadow-utils`, `microdnf install --assumeyes(-y)@1 --nodocs(--nodocs)@2 package@3`},
}

func TestBindSubcommands(t *testing.T) { runBindCases(t, subcommandsCases) }

// pythonModuleCases contains python -m, which binds pip with pip's schema.
var pythonModuleCases = []bindCase{
	{"python3", `python3 -m pip install --no-cache-dir x`, `pip install start=2 --no-cache-dir(--no-cache-dir)@3 package@4`},
	{"python flags first", `python -u -m pip install x`, `pip install start=3 package@4`},
	{"glued", `python3 -mpip install x`, `pip install start=1 package@2`},
	{"versioned", `python3.11 -m pip install x`, `pip install start=2 package@3`},
	{"other module", `python3 -m venv /opt/venv`, `python -m(-m)@0=venv@1 argument@2`},
	{"script", `python3 script.py -v`, `python script-file@0 argument@1`},
}

func TestBindPythonModule(t *testing.T) { runBindCases(t, pythonModuleCases) }

// wrappersCases contains wrappers, which report the command they run.
var wrappersCases = []bindCase{
	{"sudo", `sudo -u app apt-get install x`, `sudo --user(-u)@0=app@1 exec[2:5]`},
	{"sudo boolean", `sudo -E apt-get update`, `sudo -E(-E)@0 exec[1:3]`},
	{"env assignments", `env A=1 B=2 make`, `env assignment@0 assignment@1 exec[2:3]`},
	{"env ignore", `env -i PATH=/bin sh -c 'echo hi'`, `env --ignore-environment(-i)@0 assignment@1 exec[2:5]`},
	{"timeout", `timeout 10 curl -fsSL https://x`, `timeout duration@0 exec[1:4]`},
	{"timeout signal", `timeout -s KILL 5m sleep 10`, `timeout --signal(-s)@0=KILL@1 duration@2 exec[3:5]`},
	{"xargs", `xargs -r rm -f`, `xargs --no-run-if-empty(-r)@0 exec[1:3]`},
	{"xargs replace", `xargs -0 -I {} sh -c 'echo {}'`, `xargs --null(-0)@0 -I(-I)@1={}@2 exec[3:6]`},
	{"find exec plus", `find / -name '*.pyc' -exec rm -f {} +`, `find -name(-name)@1=*.pyc@2 -exec(-exec)@3 path@0 exec[4:7]`},
	{"find two execs", `find . -type f -exec chmod 644 {} ; -o -type d -exec chmod 755 {} ;`, `find -type(-type)@1=f@2 -exec(-exec)@3 -o(-o)@8 -type(-type)@9=d@10 -exec(-exec)@11 path@0 exec[4:7] exec[12:15]`},
	{"find expression", `find /usr/local -depth ( -type d -a -name test ) -exec rm -rf {} +`, `find -depth(-depth)@1 -type(-type)@3=d@4 -a(-a)@5 -name(-name)@6=test@7 -exec(-exec)@9 path@0 expression@2 expression@8 exec[10:13]`},
	{"gosu", `gosu user cmd arg`, `gosu user@0 exec[1:3]`},
	{"gosu true", `gosu nobody true`, `gosu user@0 exec[1:2]`},
	{"su-exec", `su-exec app:app node server.js`, `su-exec user@0 exec[1:3]`},
	{"nohup", `nohup node x.js`, `nohup exec[0:2]`},
	{"nice", `nice -n 10 make -j4`, `nice --adjustment(-n)@0=10@1 exec[2:4]`},
	{"command lookup", `command -v curl`, `command -v(-v)@0 command@1`},
	{"command run", `command curl x`, `command exec[0:2]`},
	{"exec", `exec $@`, `exec exec[0:1]`},
	{"chroot", `chroot /host ls -l`, `chroot directory@0 exec[1:3]`},
	{"runuser", `runuser -u app -- make install`, `runuser --user(-u)@0=app@1 exec[3:5]`},
	{"env expanded value", `env PATH=$PATH:/opt/bin make`, `env assignment@0 exec[1:2]`},
	{"env expanded name", `env $X=1 make`, `env exec[0:2]`},
	{"find ldd", `find /usr/local -type f -executable -exec ldd '{}' ;`, `find -type(-type)@1=f@2 -executable(-executable)@3 -exec(-exec)@4 path@0 exec[5:7]`},
	{"npx", `npx -y prisma generate`, `npx --yes(-y)@0 exec[1:3]`},
	{"time", `time make`, `time exec[0:1]`},
}

func TestBindWrappers(t *testing.T) { runBindCases(t, wrappersCases) }

// scriptsCases contains shells and su, which report their scripts.
var scriptsCases = []bindCase{
	{"sh", `sh -c 'echo hi'`, `sh -c(-c)@0 script@1 scripts@1`},
	{"bash cluster", `bash -exc 'echo hi'`, `bash -e(-e)@0 -x(x)@0+2 -c(c)@0+3 script@1 scripts@1`},
	{"path and name", `/bin/sh -xc 'echo hi' name arg`, `sh -x(-x)@0 -c(c)@0+2 script@1 name@2 argument@3 scripts@1`},
	{"su user first", `su app -c 'echo hi'`, `su --command(-c)@1=echo hi@2 user@0 scripts@2`},
	{"su login dash", `su -c 'echo hi' - app`, `su --command(-c)@0=echo hi@1 --login(-)@2 user@3 scripts@1`},
	{"su inline", `su --command='echo hi' app`, `su --command(--command)@0=echo hi@0+10 user@1 scripts@0`},
	{"script file", `bash script.sh arg`, `bash script-file@0 argument@1`},
	{"option value before c", `bash -o pipefail -c 'x'`, `bash -o(-o)@0=pipefail@1 -c(-c)@2 script@3 scripts@3`},
	{"login cluster", `bash -lc 'echo hi'`, `bash --login(-l)@0 -c(c)@0+2 script@1 scripts@1`},
}

func TestBindScripts(t *testing.T) { runBindCases(t, scriptsCases) }

// resolutionCases contains command words that resolve to canonical names.
var resolutionCases = []bindCase{
	{"bin path", `/usr/bin/apt-get install x`, `apt-get install package@1`},
	{"parent configure", `$SRC/configure --disable-nls`, `./configure --disable-nls(--disable-nls)@0`},
	{"local entrypoint", `/docker-entrypoint.sh postgres`, `?/docker-entrypoint.sh @0`},
	{"local script", `./build.sh --fast`, `?./build.sh ?--fast(--fast)@0`},
	{"pip version", `pip3.12 install x`, `pip install package@1`},
}

func TestBindResolution(t *testing.T) { runBindCases(t, resolutionCases) }

// unknownFlagsCases contains flags that no schema lists, which are kept.
var unknownFlagsCases = []bindCase{
	{"apt", `apt-get install --bogus x`, `apt-get install ?--bogus(--bogus)@1 package@2`},
	{"unknown command", `frobnicate -a --b=c x -- -y`, `?frobnicate ?-a(-a)@0 ?--b(--b)@1=c@1+4 @2 @4`},
}

func TestBindUnknownFlags(t *testing.T) { runBindCases(t, unknownFlagsCases) }

// nonStaticCases contains words with expansions, which never break binding.
var nonStaticCases = []bindCase{
	{"packages", `apt-get install $PKGS`, `apt-get install package@1`},
	{"make flags", `make $MAKEFLAGS install`, `make target@0 target@1`},
	{"configure args", `./configure $CONFIG_ARGS`, `./configure argument@0`},
	{"whole cluster", `curl -${OPT} https://x`, `curl ?-${OPT}(-${OPT})@0 url@1`},
	{"inside cluster", `tar -x${Z}f a.tgz`, `tar --extract(-x)@0 ?${Z}f(${Z}f)@0+2 path@1`},
	{"glued value", `gcc -O$LEVEL x.c`, `gcc -O(-O)@0=$LEVEL@0+2 file@1`},
}

func TestBindNonStatic(t *testing.T) { runBindCases(t, nonStaticCases) }

// toolsCases contains assorted real command lines.
var toolsCases = []bindCase{
	{"echo flag", `echo -n foo`, `echo -n(-n)@0 string@1`},
	{"echo non flag", `echo -e -foo bar`, `echo -e(-e)@0 string@1 string@2`},
	{"set option", `set -o pipefail`, `set -o(-o)@0=pipefail@1`},
	{"set plus", `set +x`, `set +x(+x)@0`},
	{"wget multi letter", `wget -nv -O- https://x`, `wget --no-verbose(-nv)@0 --output-document(-O)@1=-@1+2 url@2`},
	{"java", `java -Xmx512m -Dspring.profiles.active=prod -jar app.jar --port 80`, `java -Xmx(-Xmx)@0=512m@0+4 -D(-D)@1=spring.profiles.active=prod@1+2 -jar(-jar)@2=app.jar@3 argument@4 argument@5`},
	{"cmake", `cmake -DCMAKE_BUILD_TYPE=Release -S . -B build`, `cmake -D(-D)@0=CMAKE_BUILD_TYPE=Release@0+2 -S(-S)@1=.@2 -B(-B)@3=build@4`},
	{"gcc", `gcc -O2 -Wall -I/usr/include -o x x.c`, `gcc -O(-O)@0=2@0+2 -Wall(-Wall)@1 -I(-I)@2=/usr/include@2+2 -o(-o)@3=x@4 file@5`},
	{"dpkg print", `dpkg --print-architecture`, `dpkg --print-architecture(--print-architecture)@0`},
	{"dpkg-query", `dpkg-query -W -f='${Version}' curl`, `dpkg-query --show(-W)@0 --showformat(-f)@1==${Version}@1+2 pattern@2`},
}

func TestBindTools(t *testing.T) { runBindCases(t, toolsCases) }

// allBindCases lists every table above, for the fuzz seeds.
var allBindCases = [][]bindCase{
	aliasesCases,
	countsCases,
	valuesCases,
	clustersCases,
	endOfOptionsCases,
	operandRolesCases,
	subcommandsCases,
	pythonModuleCases,
	wrappersCases,
	scriptsCases,
	resolutionCases,
	unknownFlagsCases,
	nonStaticCases,
	toolsCases,
}
