import pytest

from catalog.demo import DEMO_SIZE, ensure_demo_catalog, generate
from catalog.search import CatalogSearch, Filters


@pytest.fixture(scope="module")
def search(tmp_path_factory):
    from catalog.db import open_db

    db = open_db(tmp_path_factory.mktemp("demo") / "demo.db")
    ensure_demo_catalog(db)
    return CatalogSearch(db)


def test_demo_catalogue_is_deterministic_and_complete():
    first = [p.row("demo") for p in generate(50)]
    assert first == [p.row("demo") for p in generate(50)]
    products = list(generate())
    assert len(products) == DEMO_SIZE >= 500
    assert len({p.id for p in products}) == DEMO_SIZE
    assert len({p.title_en for p in products}) == DEMO_SIZE
    assert all(p.title_fr and p.currency == "EUR" and p.price > 0 for p in products)
    assert any(p.variants and p.variants[0].size for p in products)


def test_second_load_leaves_the_catalogue_alone(search):
    assert ensure_demo_catalog(search.db) is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("running shoes", "Running Shoes"),
        ("shoes running", "Running Shoes"),  # any order
        ("snekers", "Sneakers"),  # misspelt
        ("hoddie", "Hoodie"),
        ("blutooth speeker", "Bluetooth Speaker"),
        ("rolling shoes", "Running Shoes"),  # mis-recognised word
        ("dark chocolate", "Dark Chocolate"),
        ("chocolate list", "Dark Chocolate"),
    ],
)
def test_spoken_queries_find_the_right_products_first(search, query, expected):
    hits = search.search(query, limit=3)
    assert hits and all(expected in h.title for h in hits), [h.title for h in hits]
    assert hits[0].score >= hits[-1].score


def test_french_titles_are_searched_and_returned(search):
    hits = search.search("chaussures de running", limit=3, lang="fr")
    assert all(h.title.startswith("Chaussures de running") for h in hits)


def test_filters_apply_to_price_colour_size_and_stock(search):
    db = search.db
    cheap = search.search("wireless headphones", limit=10, filters=Filters(max_price=150))
    assert cheap and all(h.price <= 150 for h in cheap)
    assert "Wireless Headphones" in cheap[0].title
    red = search.search("sneakers", limit=10, filters=Filters(colour="red", in_stock=True))
    assert red
    for hit in red:
        assert (
            db.execute(
                "SELECT count(*) FROM variants WHERE product_id = ? AND colour = 'red' "
                "AND stock > 0",
                [hit.id],
            ).fetchone()[0]
            >= 1
        )
    xl = search.search("winter coat", limit=10, filters=Filters(size="XL", min_price=100))
    assert xl and all(h.price >= 100 and "Winter Coat" in h.title for h in xl)
    toys = search.search("", limit=5, filters=Filters(category="Toys"))
    assert len(toys) == 5 and all(h.category.startswith("Toys") for h in toys)


def test_nothing_is_returned_for_nonsense_or_empty_queries(search):
    assert search.search("zzqxv wplk") == []
    assert search.search("   ") == []


def test_query_text_is_never_sql(search):
    for query in ['" OR 1=1 --', "'; DROP TABLE products; --", 'NEAR("a" "b")', "a*b:c^"]:
        search.search(query)
    assert search.db["products"].count == DEMO_SIZE


@pytest.mark.parametrize(
    ("query", "lang", "kind"),
    [
        ("chaussures de course", "fr", "Running Shoes"),  # a synonym of the titles' word
        ("chausures de course", "fr", "Running Shoes"),  # misspelt, and the synonym
        ("trainers", "en", "Sneakers"),
        ("moisturiser", "en", "Face Cream"),
        ("un téléphone portable", "fr", "Smartphone"),
    ],
)
def test_shoppers_words_for_a_kind_find_it(search, query, lang, kind):
    hits = search.search(query, limit=3, lang=lang)
    assert hits and all(h.category.endswith(kind) for h in hits), [h.title for h in hits]


def test_a_real_french_word_is_not_corrected_into_another_product(search):
    """ "sac à dos" once found lipsticks ("à") and t-shirts ("dos" ≈ "doux")."""
    assert search.search("sac à dos", lang="fr") == []
