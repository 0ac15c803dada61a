# syntax=docker/dockerfile:1.7
FROM alpine:3.20
RUN <<EOF
set -eux
apk add --no-cache curl
EOF
RUN <<-"SCRIPT" sh
	apk add --no-cache git
	SCRIPT
RUN <<EOF1 cat >/etc/motd && <<EOF2 sh
welcome
EOF1
echo second
EOF2
RUN <<EOF
#!/usr/bin/env python3
print("not a shell script")
EOF
COPY <<EOF /etc/app.conf
key=value
EOF
