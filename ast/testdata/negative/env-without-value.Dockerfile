FROM alpine
ENV name
