FROM alpine:3.20
MAINTAINER someone@example.org
FOO bar baz
RUN echo "oops && apk add curl
RUN echo ok
