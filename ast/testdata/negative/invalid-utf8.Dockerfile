FROM alpine
LABEL a=ÿþ
