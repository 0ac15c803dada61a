FROM node:20-alpine
ONBUILD COPY package.json /app/
ONBUILD RUN npm install --production \
    && npm cache clean --force
