FROM ubuntu:24.04
RUN sudo -u root /usr/bin/apt-get install -y make \
 && env DEBIAN_FRONTEND=noninteractive apt-get install -y tzdata \
 && timeout 60 curl -fsSLo /tmp/a.tgz http://example.org/a.tgz \
 && find /usr/local -name '*.pyc' -exec rm -f {} + \
 && ls /tmp | xargs -r rm -rf \
 && gosu nobody true \
 && nohup nice -n 10 ./configure --prefix=/usr &
RUN $PM install -y thing
