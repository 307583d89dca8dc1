// telegram-test-api 4.x on loopback, with its two known incompatibilities with the Bot API
// corrected and nothing else: getMe gains `is_bot: true`, and the messages it returns to the
// bot carry `date` in seconds instead of milliseconds. (sendChatAction and setMyCommands still
// answer HTTP 500; the bot must cope with that.)
//
// It also serves files that users send (telegram-test-api has no getFile): a test stores the
// bytes with POST /test/file/FILE_ID, the bot asks getFile and downloads /file/botTOKEN/PATH.
//
// The bot sends object parameters (link_preview_options, reply_markup) as JSON strings in form
// data; telegram-test-api parses reply_markup but echoes link_preview_options back as a string,
// which no Bot API client can read as a Message. The echo gets the parsed object, as Telegram's
// own answer would carry it. Answers to button presses (answerCallbackQuery) are kept so a test
// can check each press was answered: GET /test/callbackAnswers. Callback queries gain the
// chat_instance Telegram always sends.
//
// telegram-test-api has no sendDocument: the route below reads the bot's multipart upload, keeps
// each file (GET /test/documents returns them, base64) and stores the document message so the
// user's getUpdates sees it, with its caption, as Telegram would deliver it.
//
// usage: node server.js PORT [STORE_TIMEOUT_S]   -> prints "listening PORT" when ready
'use strict';

const express = require('express');
const TelegramServer = require('telegram-test-api');
const routes = require('telegram-test-api/lib/routes/index');
const { getMe } = require('telegram-test-api/lib/routes/bot/getMe');
const { unknownMethod } = require('telegram-test-api/lib/routes/bot/unknownMethod');

const files = new Map();
const callbackAnswers = [];
const documents = [];

// multipart/form-data -> { fields: {name: text}, file: {field, filename, data} }, enough for
// python-telegram-bot's uploads (one file part, plain text fields).
function parseMultipart(body, contentType) {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType || '');
  const result = { fields: {}, file: null };
  if (!match || !Buffer.isBuffer(body)) return result;
  const boundary = Buffer.from(`--${match[1] || match[2]}`);
  let start = body.indexOf(boundary);
  while (start !== -1) {
    const next = body.indexOf(boundary, start + boundary.length);
    if (next === -1) break;
    const part = body.subarray(start + boundary.length + 2, next - 2); // CRLF after, before
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const head = part.subarray(0, split).toString('utf8');
      const data = part.subarray(split + 4);
      const name = (/name="([^"]*)"/i.exec(head) || [])[1];
      const filename = (/filename="([^"]*)"/i.exec(head) || [])[1];
      if (filename !== undefined) result.file = { field: name, filename, data };
      else if (name) result.fields[name] = data.toString('utf8');
    }
    start = next;
  }
  return result;
}

function documentRoutes(app, telegramServer) {
  app.post('/bot:token/sendDocument', express.raw({ type: () => true, limit: '20mb' }), (req, res) => {
    const { fields, file } = parseMultipart(req.body, req.headers['content-type']);
    if (!file || !fields.chat_id) {
      res.status(400).json({ ok: false, error_code: 400, description: 'Bad Request: no document' });
      return;
    }
    const id = `doc${documents.length + 1}`;
    documents.push({ chat_id: Number(fields.chat_id), caption: fields.caption || '',
      file_name: file.filename, content: file.data.toString('base64') });
    const message = {
      chat_id: fields.chat_id,
      caption: fields.caption || '',
      document: { file_id: id, file_unique_id: id, file_name: file.filename, file_size: file.data.length },
    };
    const result = telegramServer.addBotMessage(message, req.params.token);
    res.json({ ok: true, result }); // SecondsTelegramServer gives the date in seconds
  });
  app.get('/test/documents', (_req, res) => res.json({ ok: true, result: documents }));
}
const OBJECT_PARAMETERS = ['link_preview_options', 'reply_parameters'];

function callbackRoutes(app) {
  app.all('/bot:token/answerCallbackQuery', (req, res) => {
    callbackAnswers.push({ ...(req.body || {}), ...(req.query || {}) });
    res.json({ ok: true, result: true });
  });
  app.get('/test/callbackAnswers', (_req, res) => res.json({ ok: true, result: callbackAnswers }));
}

function fileRoutes(app) {
  app.post('/test/file/:id', express.raw({ type: () => true, limit: '80mb' }), (req, res) => {
    files.set(req.params.id, req.body);
    res.json({ ok: true });
  });
  app.all('/bot:token/getFile', (req, res) => {
    const id = (req.body && req.body.file_id) || req.query.file_id;
    const data = files.get(id);
    if (!data) {
      res.status(400).json({ ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
      return;
    }
    res.json({
      ok: true,
      result: { file_id: id, file_unique_id: id, file_size: data.length, file_path: `files/${id}` },
    });
  });
  app.get('/file/bot:token/files/:id', (req, res) => {
    const data = files.get(req.params.id);
    if (!data) {
      res.status(404).end();
      return;
    }
    res.type('application/octet-stream').send(data);
  });
  app.get('/test/files', (_req, res) => res.json({ ok: true, count: files.size }));
}

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
// Before the catch-all that answers "method not supported" (and the library's own
// answerCallbackQuery, which keeps nothing).
routes.routes.splice(routes.routes.indexOf(unknownMethod), 0, fileRoutes);
routes.routes.splice(routes.routes.indexOf(unknownMethod), 0, documentRoutes);
routes.routes.splice(0, 0, callbackRoutes);

// Telegram sends every callback query with a chat_instance; the library's updates lack it,
// and a Bot API client refuses the whole batch of updates that holds one such query.
const formatUpdate = TelegramServer.formatUpdate;
TelegramServer.formatUpdate = (update) => {
  const formatted = formatUpdate(update);
  if (formatted.callback_query && !formatted.callback_query.chat_instance) {
    const chat = formatted.callback_query.message && formatted.callback_query.message.chat;
    formatted.callback_query.chat_instance = String(chat ? chat.id : 0);
  }
  return formatted;
};

class SecondsTelegramServer extends TelegramServer {
  addBotMessage(rawMessage, botToken) {
    for (const name of OBJECT_PARAMETERS) {
      if (typeof rawMessage[name] === 'string') rawMessage[name] = JSON.parse(rawMessage[name]);
    }
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
