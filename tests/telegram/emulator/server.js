// telegram-test-api 4.x on loopback, with its two known incompatibilities with the Bot API
// corrected and nothing else: getMe gains `is_bot: true`, and the messages it returns to the
// bot carry `date` in seconds instead of milliseconds. (sendChatAction and setMyCommands still
// answer HTTP 500; the bot must cope with that.)
//
// usage: node server.js PORT [STORE_TIMEOUT_S]   -> prints "listening PORT" when ready
'use strict';

const TelegramServer = require('telegram-test-api');
const routes = require('telegram-test-api/lib/routes/index');
const { getMe } = require('telegram-test-api/lib/routes/bot/getMe');

function getMeWithIsBot(app) {
  app.all('/bot:token/getMe', (_req, res) => {
    res.sendResult({
      ok: true,
      result: { id: 666, is_bot: true, first_name: 'Test First name', username: 'TestNameBot' },
    });
  });
}

// The routes are registered from this array when the server is constructed.
routes.routes[routes.routes.indexOf(getMe)] = getMeWithIsBot;

class SecondsTelegramServer extends TelegramServer {
  addBotMessage(rawMessage, botToken) {
    const message = super.addBotMessage(rawMessage, botToken);
    return { ...message, date: Math.floor(message.date / 1000) };
  }
}

async function main() {
  const port = Number(process.argv[2]);
  const storeTimeout = Number(process.argv[3] || 600);
  const server = new SecondsTelegramServer({ port, host: '127.0.0.1', storeTimeout });
  await server.start();
  process.stdout.write(`listening ${port}\n`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
