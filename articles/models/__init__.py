"""lwnkb's relational model of LWN content, one module per aggregate."""

from articles.models.articles import Article, ArticleAuthor, ArticleKind, Author
from articles.models.comments import Comment, PosterRole
from articles.models.curation import CurationAction, CurationEvent, CurationTarget
from articles.models.editions import Edition, RawPage
from articles.models.entities import Entity, EntityKind, Mention, MentionSource, MentionStatus
from articles.models.imports import ImportOutcome, ImportRun, RequestClock
from articles.models.kernel import HardwareDevice, HardwareTally, KernelRelease, MergeWindowItem
from articles.models.sync import Tombstone, TombstoneKind
from articles.models.tallies import EntityPair, EntityTally, EntityTrend, TrendWindow

__all__ = [
    "Article",
    "ArticleAuthor",
    "ArticleKind",
    "Author",
    "Comment",
    "CurationAction",
    "CurationEvent",
    "CurationTarget",
    "Edition",
    "Entity",
    "EntityKind",
    "EntityPair",
    "EntityTally",
    "EntityTrend",
    "HardwareDevice",
    "HardwareTally",
    "ImportOutcome",
    "ImportRun",
    "KernelRelease",
    "Mention",
    "MentionSource",
    "MentionStatus",
    "MergeWindowItem",
    "PosterRole",
    "RawPage",
    "RequestClock",
    "Tombstone",
    "TombstoneKind",
    "TrendWindow",
]
