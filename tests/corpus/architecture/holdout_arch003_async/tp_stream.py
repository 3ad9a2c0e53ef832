import logging

log = logging.getLogger(__name__)


async def consume(stream, db):
    async for message in stream:
        async with db.transaction():
            for item in message.items:
                try:
                    if item.quantity > 0:  # expect: ARCH003
                        await db.insert(item)
                except ValueError:
                    log.warning("bad item %s", item)
