from myapp.models import Author, Book


def books_with_authors(book_ids):
    result = []
    for book_id in book_ids:
        book = Book.objects.get(pk=book_id)  # expect: PERF006
        result.append((book.title, book.author_id))
    return result


def owners(session, orders):
    return [session.query(User).filter(User.id == o.user_id).first() for o in orders]  # expect: PERF006


def author_names(posts):
    names = []
    for post in posts:
        author = Author.query.get(post.author_id)  # expect: PERF006
        names.append(author.name)
    return names


def latest(session, ids):
    q = session.query(Event).order_by(Event.at.desc())
    for i in ids:
        yield q.filter(Event.owner == i).first()  # expect: PERF006
