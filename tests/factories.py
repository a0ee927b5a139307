"""factory_boy factories for the archive's models."""

from __future__ import annotations

import datetime as dt

import factory

from articles.models import (
    Article,
    ArticleKind,
    Author,
    Comment,
    Edition,
    HardwareDevice,
    KernelRelease,
    MergeWindowItem,
)


class EditionFactory(factory.django.DjangoModelFactory[Edition]):
    class Meta:
        model = Edition
        django_get_or_create = ("lwn_id",)

    lwn_id = factory.Sequence(lambda n: 800000 + n)
    date = factory.Sequence(lambda n: dt.date(2020, 1, 2) + dt.timedelta(weeks=n))
    title = factory.LazyAttribute(lambda o: f"LWN.net Weekly Edition for {o.date:%B %-d, %Y}")


class AuthorFactory(factory.django.DjangoModelFactory[Author]):
    class Meta:
        model = Author
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Author {n}")


class ArticleFactory(factory.django.DjangoModelFactory[Article]):
    class Meta:
        model = Article

    lwn_id = factory.Sequence(lambda n: 820000 + n)
    edition = factory.SubFactory(EditionFactory)
    position = factory.Sequence(lambda n: n)
    section = "Front page"
    kind = ArticleKind.FEATURE
    title = factory.Sequence(lambda n: f"Article {n}")
    date = factory.LazyAttribute(lambda o: o.edition.date if o.edition else None)
    body_text = "Some text about the kernel."
    body_html = "<p>Some text about the kernel.</p>"


class CommentFactory(factory.django.DjangoModelFactory[Comment]):
    class Meta:
        model = Comment

    lwn_id = factory.Sequence(lambda n: 900000 + n)
    article = factory.SubFactory(ArticleFactory)
    thread_position = factory.Sequence(lambda n: n)
    title = "A comment"
    poster_name = "reader"
    poster_role = "subscriber"
    posted_at = factory.LazyFunction(lambda: dt.datetime(2020, 6, 8, 18, 4, tzinfo=dt.UTC))
    body_text = "I agree."


class KernelReleaseFactory(factory.django.DjangoModelFactory[KernelRelease]):
    class Meta:
        model = KernelRelease
        django_get_or_create = ("version",)

    version = "5.8"


class MergeWindowItemFactory(factory.django.DjangoModelFactory[MergeWindowItem]):
    class Meta:
        model = MergeWindowItem

    release = factory.SubFactory(KernelReleaseFactory)
    article = factory.SubFactory(ArticleFactory)
    part = 1
    group = "Core kernel"
    position = factory.Sequence(lambda n: n)
    text = "The new faccessat2() system call adds a flags argument."


class HardwareDeviceFactory(factory.django.DjangoModelFactory[HardwareDevice]):
    class Meta:
        model = HardwareDevice

    release = factory.SubFactory(KernelReleaseFactory)
    article = factory.SubFactory(ArticleFactory)
    category = "Graphics"
    name = factory.Sequence(lambda n: f"Panel {n}")
    position = factory.Sequence(lambda n: n)
