"""All of the bot's wiring in one place: the PTB application, its handlers, polling or webhook."""

from __future__ import annotations

import asyncio
import logging
import re
from urllib.parse import urlparse

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.app.engine import Engine
from bot.app.telegram.deadline_flow import deadline_conversation
from bot.app.telegram.handlers import ChatHandlers, error_handler
from bot.app.telegram.history import History
from bot.app.telegram.limits import SlidingWindowLimiter, allowlist_gate
from bot.app.telegram.pacing import ChatPacedRateLimiter
from bot.app.telegram.uploads import register_uploads
from bot.core.errors import ConfigError, ProcbotError
from bot.core.files import private_umask
from bot.core.settings import Settings

log = logging.getLogger("bot.app.telegram")

#: Updates handled at once: enough that one slow question never stalls other chats, bounded
#: so a burst cannot start hundreds of engine threads.
CONCURRENT_UPDATES = 64
#: What Telegram accepts as a webhook's secret_token.
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
#: Retries after Telegram's 429 "retry after N seconds" before a send gives up.
FLOOD_RETRIES = 3

COMMANDS = (
    BotCommand("start", "What I do and how to ask"),
    BotCommand("help", "What I can and cannot do, with examples"),
    BotCommand("rule", "The text of a rule, e.g. /rule 26(b)(1)"),
    BotCommand("sources", "What I can cite: courts, rule versions, orders"),
    BotCommand("forget", "Delete our conversation history"),
    BotCommand("deadline", "Count a deadline step by step, with a calendar file"),
    BotCommand("transcript", "Our chat as a text file to forward"),
    BotCommand("language", "Answer in English or Spanish (en / es / auto)"),
)

NOT_TEXT = (
    filters.PHOTO
    | filters.Sticker.ALL
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.ANIMATION
    | filters.Document.ALL
    | filters.LOCATION
    | filters.VENUE
    | filters.CONTACT
    | filters.POLL
)


def bot_token(settings: Settings) -> str:
    """The bot token, or a ConfigError that says how to get one."""
    secret = settings.telegram_bot_token
    token = secret.get_secret_value().strip() if secret else ""
    if not token:
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather in Telegram and put "
            "its token in TELEGRAM_BOT_TOKEN (environment or .env)."
        )
    return token


def file_url_for(base_url: str) -> str | None:
    """Bot API servers serve files under `/file/bot`, beside `/bot`."""
    if base_url.rstrip("/").endswith("/bot"):
        return base_url.rstrip("/")[: -len("bot")] + "file/bot"
    return None


class _NoUpdateContents(logging.Filter):
    """Keeps what PTB logs about an event, never the data it received or sent.

    PTB logs updates it cannot parse at CRITICAL with the raw data (the person's words) and
    the exception (whose text may quote them). Records keep their message template with the
    arguments replaced and the exception reduced to its type.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple("<withheld>" for _ in args)
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.msg} ({type(record.exc_info[1]).__name__})"
            record.exc_info = None
            record.exc_text = None
        return True


_WITHHOLD = _NoUpdateContents()


def keep_text_out_of_logs() -> None:
    """Cap the loggers that would record message text, answers or the token.

    PTB's DEBUG records print every Bot API call with its parameters (the person's words and
    the answer); httpx logs request URLs, which contain the token. PTB's own loggers never
    pass on what they received, at any level (see _NoUpdateContents).
    """
    floors = {"telegram": logging.INFO, "httpx": logging.WARNING, "httpcore": logging.WARNING}
    for name, floor in floors.items():
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < floor or logger.level == logging.NOTSET:
            logger.setLevel(floor)
    # A logger's filters see only its own records, so each of PTB's loggers gets one (they
    # are all made when telegram.ext is imported, above).
    names = [
        n for n in logging.root.manager.loggerDict if n == "telegram" or n.startswith("telegram.")
    ]
    for name in (*names, "telegram.ext.Updater", "telegram.ext.Application", "telegram.Bot"):
        logger = logging.getLogger(name)
        if _WITHHOLD not in logger.filters:
            logger.addFilter(_WITHHOLD)


def build_application(
    settings: Settings,
    engine: Engine | None = None,
    *,
    request: BaseRequest | None = None,
) -> Application:
    """The configured application; `request` replaces the HTTP transport (tests, proxies)."""
    keep_text_out_of_logs()
    if engine is None:
        engine = Engine(settings)
    history = History(
        settings.history_path, settings.history_turns, settings.history_max_age_minutes
    )
    limiter = SlidingWindowLimiter(settings.rate_limit_per_minute, settings.admin_chat_ids)
    chat = ChatHandlers(engine, history, limiter)

    async def post_init(application: Application) -> None:
        try:
            await application.bot.set_my_commands(COMMANDS)
        except TelegramError as error:
            # The menu is a convenience; commands work without it.
            log.warning("could not register the command menu: %s", type(error).__name__)
        try:
            # Load the embedder and the index now, not on the first person's question.
            await asyncio.to_thread(engine.sources)
            await asyncio.to_thread(chat.warm_up)
        except ProcbotError as error:
            log.warning("the index is not ready; questions will say so: %s", error)

    async def post_shutdown(_application: Application) -> None:
        history.close()

    builder = (
        ApplicationBuilder()
        .token(bot_token(settings))
        .concurrent_updates(CONCURRENT_UPDATES)
        .rate_limiter(ChatPacedRateLimiter(max_retries=FLOOD_RETRIES))  # per chat and overall
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        # No preview card under an answer: its links are sources to open, not to show.
        .defaults(Defaults(link_preview_options=LinkPreviewOptions(is_disabled=True)))
    )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
        file_url = file_url_for(settings.telegram_base_url)
        if file_url:
            builder = builder.base_file_url(file_url)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application = builder.build()

    application.add_handler(
        allowlist_gate(settings.allowed_chat_ids, settings.admin_chat_ids), group=-1
    )
    application.add_handler(CommandHandler(["start", "help"], chat.help))
    application.add_handler(CommandHandler("rule", chat.rule))
    application.add_handler(CommandHandler("sources", chat.sources))
    application.add_handler(CommandHandler("forget", chat.forget))
    application.add_handler(CommandHandler("transcript", chat.transcript))
    application.add_handler(CommandHandler("language", chat.language))
    application.add_handler(deadline_conversation(engine, chat.lang))
    # After the /deadline conversation, whose own buttons it must not take.
    application.add_handler(CallbackQueryHandler(chat.button))
    # Before the handler declining non-text messages.
    register_uploads(application, settings, engine, chat.lang, chat.in_language)
    application.add_handler(MessageHandler(filters.COMMAND, chat.unknown_command))
    # New messages only: an edited question would otherwise be answered twice.
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, chat.question)
    )
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & NOT_TEXT, chat.not_text))
    application.add_error_handler(error_handler(chat.lang))
    return application


def webhook_parts(settings: Settings) -> tuple[str, str]:
    """The URL path to listen on and the secret Telegram must send; ConfigError when unsafe."""
    url = urlparse(settings.webhook_url or "")
    if url.scheme != "https" or not url.netloc:
        raise ConfigError(
            f"PROCBOT_WEBHOOK_URL must be a public https:// URL, not {settings.webhook_url!r}."
        )
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not WEBHOOK_SECRET.fullmatch(secret):
        # Checked here: Telegram's own refusal would come only once the server is starting.
        problem = "is required with" if not secret else "does not fit the form Telegram needs for"
        raise ConfigError(
            f"PROCBOT_WEBHOOK_SECRET {problem} PROCBOT_WEBHOOK_URL, so that only Telegram can "
            "post updates (1-256 characters: A-Z, a-z, 0-9, _ and -)."
        )
    return url.path.lstrip("/"), secret


def serve_logs(settings: Settings) -> None:
    """The bot's per-request lines at PROCBOT_LOG_LEVEL, whatever the CLI set up before."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    bot_log = logging.getLogger("bot.app.telegram")
    bot_log.setLevel(settings.log_level.upper())
    # The CLI's handlers pass only warnings unless --verbose; a server's outcome lines are
    # its record of what happened, so they must get through.
    for handler in root.handlers:
        if handler.level > bot_log.level:
            handler.setLevel(bot_log.level)
    keep_text_out_of_logs()


def run(settings: Settings) -> None:
    """`procbot serve`: poll Telegram, or serve a webhook when PROCBOT_WEBHOOK_URL is set.

    Start-up calls to the Bot API are retried PROCBOT_TELEGRAM_START_RETRIES times (PTB's
    bootstrap retries, with its back-off); then, or when the webhook port is taken, a
    ConfigError says what failed instead of a traceback.
    """
    private_umask()
    bot_token(settings)
    webhook = webhook_parts(settings) if settings.webhook_url else None
    serve_logs(settings)
    application = build_application(settings)
    retries = settings.telegram_start_retries
    try:
        if webhook is None:
            log.info("polling for updates")
            application.run_polling(
                poll_interval=settings.poll_interval_s,
                allowed_updates=Update.ALL_TYPES,
                bootstrap_retries=retries,
            )
            return
        url_path, secret = webhook
        log.info("serving a webhook on %s:%d", settings.webhook_listen, settings.webhook_port)
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=url_path,
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
            bootstrap_retries=retries,
        )
    except InvalidToken:
        raise ConfigError(
            "Telegram refused TELEGRAM_BOT_TOKEN; copy the token @BotFather gave you again."
        ) from None
    except (NetworkError, TimedOut) as error:
        where = settings.telegram_base_url or "the Telegram Bot API"
        raise ConfigError(
            f"Cannot reach {where} after {retries + 1} tries ({type(error).__name__}); check "
            "the network (or TELEGRAM_BASE_URL) and start the bot again."
        ) from None
    except OSError as error:
        raise ConfigError(
            f"Cannot listen on {settings.webhook_listen}:{settings.webhook_port} "
            f"({error.strerror or error}); choose a free PROCBOT_WEBHOOK_PORT."
        ) from None
