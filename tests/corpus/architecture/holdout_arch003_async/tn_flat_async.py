async def store_item(db, item):
    if item.quantity <= 0:
        return
    await db.insert(item)


async def consume(stream, db):
    async for message in stream:
        async with db.transaction():
            for item in message.items:
                await store_item(db, item)
