# One image for both processes; docker-compose.yml picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
USER node
ENV NODE_ENV=production
CMD ["npm", "run", "api"]
