import json
import shutil
import subprocess
import sys

import pytest

from catalog.db import catalog_version
from catalog.importer import import_file
from catalog.lookup import get_product
from catalog.search import CatalogSearch, Filters
from catalog.stats import catalog_stats

LUMA = "catalogs/magento_luma/magento_import_csv/ConfigurableSampleData__products.csv"


def test_magento_luma_store_imports_with_variants(db, shared):
    report = import_file(db, shared / LUMA)
    assert report.format == "magento"
    assert (report.inserted, report.variants, report.rejected) == (147, 1847, 0)
    assert db["variants"].count == 1847
    hoodie = db["products"].get("MH01")
    assert hoodie["title_en"] == "Chaz Kangeroo Hoodie"
    assert hoodie["category"] == "Men > Tops > Hoodies & Sweatshirts"
    assert hoodie["categories"].endswith("Collections > Eco Friendly")
    assert hoodie["price"] == 52.0 and hoodie["currency"] == "USD"
    assert hoodie["colours"] == "black, gray, orange" and hoodie["sizes"] == "XS, S, M, L, XL"
    assert (
        "<p>" not in hoodie["description_en"]
        and "Ideal for cold-weather" in (hoodie["description_en"])
    )
    variant = db["variants"].get("MH01-XS-Black")
    assert (variant["product_id"], variant["size"], variant["colour"]) == ("MH01", "XS", "Black")
    assert hoodie["stock"] == sum(
        r["stock"] for r in db["variants"].rows_where("product_id = ?", ["MH01"])
    )


def test_reimport_updates_instead_of_duplicating(db, shared, tmp_path):
    source = tmp_path / "luma.csv"
    shutil.copy(shared / LUMA, source)
    import_file(db, source)
    version = catalog_version(db)
    text = source.read_text(encoding="utf-8").replace(
        '"Chaz Kangeroo Hoodie"', '"Chaz Kangaroo Hoodie"', 1
    )
    source.write_text(text, encoding="utf-8")
    again = import_file(db, source)
    assert (again.inserted, again.updated) == (0, 147)
    assert db["products"].count == 147 and db["variants"].count == 1847
    assert db["products"].get("MH01")["title_en"] == "Chaz Kangaroo Hoodie"
    assert catalog_version(db) == version + 1

    def titled(word):
        return db.execute(
            "SELECT count(*) FROM products_fts WHERE products_fts MATCH ?", [f"title_en: {word}"]
        ).fetchone()[0]

    assert (titled("kangaroo"), titled("kangeroo")) == (1, 0)


def test_flat_luma_csv_groups_each_configurable_with_its_simple_rows(db, shared):
    """The flat export lists each size/colour child before its configurable parent and
    has no quantities: 147 parents with 1,847 variants, 44 simple products, all sold."""
    flat = import_file(db, shared / "catalogs/magento_luma/products_flat.csv", currency="USD")
    assert (flat.format, flat.inserted, flat.variants, flat.rejected) == ("csv", 191, 1847, 0)
    hoodie = get_product(db, "MH01")
    assert hoodie.title_en == "Chaz Kangeroo Hoodie"  # the parent's row, not "…-XS-Black"
    assert hoodie.category.startswith("Men > Tops") and hoodie.currency == "USD"
    assert set(hoodie.sizes()) == {"XS", "S", "M", "L", "XL"}
    assert {"Black", "Gray", "Orange"} <= set(hoodie.colours())
    assert hoodie.stock is None and hoodie.in_stock  # not tracked is not "out of stock"
    assert db.execute("SELECT count(*) FROM products WHERE id LIKE 'MH01-%'").fetchone() == (0,)
    hits = CatalogSearch(db).search("hoodie", limit=10, filters=Filters(in_stock=True))
    assert len({h.id for h in hits}) == len(hits) >= 3  # one product each, in stock


def test_flat_luma_csv_and_gear_fixture_import(db, shared):
    flat = import_file(db, shared / "catalogs/magento_luma/products_flat.csv")
    assert (flat.format, flat.inserted, flat.rejected) == ("csv", 191, 0)
    gear = import_file(
        db,
        shared / "catalogs/magento_luma/magento_import_csv/"
        "CatalogSampleData__SimpleProduct__products_gear_bags.csv",
    )
    assert gear.updated == 14  # the same skus as in the flat file
    bag = db["products"].get("24-MB01")
    assert bag["title_en"] == "Joust Duffle Bag" and bag["category"] == "Gear > Bags"


def test_google_merchant_feed_groups_variants_and_rejects_bad_rows(db, tmp_path):
    feed = tmp_path / "feed.tsv"
    shutil.copy("tests/data/feed.tsv", feed)
    report = import_file(db, feed)
    assert report.format == "gmc"
    assert (report.inserted, report.variants, report.rejected) == (2, 3, 3)
    shirt = db["products"].get("TS-1")
    assert shirt["price"] == 19.99 and shirt["currency"] == "EUR"
    assert shirt["colours"] == "blue, red" and shirt["sizes"] == "M, L"
    assert shirt["stock"] == 2 and shirt["description_en"] == "Soft organic cotton tee."
    rejects = _rejects(report)
    assert [r["line"] for r in rejects] == [6, 7, 8]
    assert "price 'cheap' is not a number" in rejects[0]["reason"]
    assert "availability" in rejects[1]["reason"] and "id" in rejects[2]["reason"]


def test_json_and_jsonl_with_broken_rows(db, tmp_path):
    good = {
        "id": "J1",
        "title": "Trail Socks",
        "title_fr": "Chaussettes de trail",
        "price": "12,90 €",
        "category": "Sports > Socks",
        "stock": 7,
        "variants": [
            {"sku": "J1-S", "size": "S", "stock": 3},
            {"sku": "J1-M", "size": "M", "stock": 4},
        ],
    }
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"id": "J2", "title": "x", "price": -1}),
        json.dumps({"id": "J3", "title": "Cap", "price": 9, "rating": 7}),
        "[1, 2]",
    ]
    jsonl = tmp_path / "items.jsonl"
    jsonl.write_text("\n".join(lines), encoding="utf-8")
    report = import_file(db, jsonl)
    assert (report.inserted, report.rejected, report.variants) == (1, 4, 2)
    socks = db["products"].get("J1")
    assert socks["price"] == 12.9 and socks["title_fr"] == "Chaussettes de trail"
    assert socks["stock"] == 7
    whole = tmp_path / "items.json"
    whole.write_text(json.dumps({"products": [good, {"title": "no id", "price": 1}]}), "utf-8")
    assert import_file(db, whole).to_dict()["rejected"] == 1
    broken = tmp_path / "broken.json"
    broken.write_text("{oops", encoding="utf-8")
    assert import_file(db, broken).rejected == 1


def test_unknown_format_is_refused(db, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,title,price\n1,A,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="Unknown catalogue format"):
        import_file(db, path, "xml")


def test_stats_count_categories_and_french_coverage(db):
    from catalog.demo import ensure_demo_catalog

    ensure_demo_catalog(db)
    stats = catalog_stats(db)
    assert stats["products"] >= 500
    assert set(stats["categories"]) == {
        "Clothing",
        "Shoes",
        "Electronics",
        "Home",
        "Grocery",
        "Beauty",
        "Sports",
        "Toys",
    }
    assert stats["languages"]["fr_coverage"] == 1.0
    assert stats["currencies"] == {"EUR": stats["products"]}


def _index_names(db):
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def test_large_import_rebuilds_its_indexes_even_when_it_fails_half_way(db):
    from catalog.db import PRODUCT_INDEXES
    from catalog.demo import generate
    from catalog.importer import BATCH, store_products

    def broken_feed():
        for number, product in enumerate(generate(BATCH + BATCH // 2)):
            if number == BATCH + 10:
                raise OSError("the feed's connection dropped")
            yield product

    with pytest.raises(OSError):
        store_products(db, broken_feed(), source="feed")
    assert set(PRODUCT_INDEXES) <= _index_names(db)
    assert db["products"].count == BATCH  # the first batch was committed, nothing half-done

    report = store_products(db, generate(BATCH + BATCH // 2), source="feed")
    assert report.inserted == BATCH // 2 and report.updated == BATCH
    assert set(PRODUCT_INDEXES) <= _index_names(db)
    plan = " ".join(
        str(r)
        for r in db.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM products ORDER BY rating DESC, price LIMIT 5"
        )
    )
    assert "idx_products_rating_price" in plan


FRENCH_EXCEL = (
    "sku;nom;prix;stock;marque\r\n"
    "A1;Veste de pluie légère;49,90;3;Cotonia\r\n"
    "A2;Écharpe;19,90;5;Cotonia\r\n"
    "A1;Veste de pluie légère (nouvelle);45,00;2;Cotonia\r\n"
    "A5;Gants;12,00;4;Cotonia;en trop\r\n"
    'A3;"Pull ; trop;12;2;X\r\n'
    "A4;Bonnet;9,90;1;Y\r\n"
)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8"])
def test_a_french_excel_csv_imports_with_its_faults_reported(db, tmp_path, encoding):
    path = tmp_path / "catalogue.csv"
    path.write_bytes(FRENCH_EXCEL.encode(encoding))
    report = import_file(db, path)
    assert report.imported == 2 and report.duplicates == 1 and report.rejected == 2
    title, price = db.execute("SELECT title_fr, price FROM products WHERE id = 'A1'").fetchone()
    assert (title, price) == ("Veste de pluie légère (nouvelle)", 45.0)  # the later row wins
    assert db.execute("SELECT title_fr FROM products WHERE id = 'A2'").fetchone()[0] == "Écharpe"
    rejects = [json.loads(line) for line in (tmp_path / "catalogue.csv.rejects.jsonl").open()]
    assert rejects == [
        {"line": 4, "reason": "sku A1 repeats line 2: this row wins"},
        {"line": 5, "reason": "the row has 6 fields, the header 5"},
        {
            "line": 6,
            "reason": "the row is not valid CSV (unexpected end of data): an unclosed quote?",
        },
    ]


def _cli_import(path, db_path):
    """`voiceshop catalog import PATH --db DB` in its own process, as a shop owner runs it."""
    return subprocess.run(
        [sys.executable, "-m", "skills.cli", "catalog", "import", str(path), "--db", str(db_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_file_with_no_product_or_not_text_is_refused_in_one_sentence(tmp_path):
    (tmp_path / "columns.csv").write_text("colour,weight\nred,2\n", encoding="utf-8")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    (tmp_path / "song.csv").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64))
    expected = {
        "columns.csv": (1, "No product found in", "columns seen: colour, weight."),
        "empty.csv": (1, "No product found in", "columns seen: none."),
        "song.csv": (2, "Cannot import", "not a text catalogue (CSV, JSON or TSV)."),
    }
    for name, (code, start, end) in expected.items():
        done = _cli_import(tmp_path / name, tmp_path / "shop.db")
        error = done.stderr.strip().splitlines()[-1]
        assert done.returncode == code and start in error and error.endswith(end), done.stderr
        assert "Traceback" not in done.stderr


def test_a_currency_that_is_no_code_is_refused(db, tmp_path):
    path = tmp_path / "shop.csv"
    path.write_text("sku,name,price\nA1,Mug,8\n", encoding="utf-8")
    with pytest.raises(ValueError, match="three-letter code"):
        import_file(db, path, currency="dollars")
    assert db["products"].count == 0
    import_file(db, path, currency="usd")
    assert get_product(db, "A1").currency == "USD"


def _rejects(report) -> list[dict]:
    with open(report.rejects_path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_a_shopify_export_groups_variants_by_handle(db, tmp_path):
    source = tmp_path / "products_export.csv"
    shutil.copy("tests/data/shopify_products.csv", source)
    report = import_file(db, source)
    assert report.format == "shopify"
    assert (report.inserted, report.variants, report.rejected) == (3, 6, 2)
    sweater = get_product(db, "merino-crew-sweater")
    assert sweater.title_en == "Merino Crew Sweater" and sweater.brand == "Nordwind"
    assert sweater.price == 79.0 and sweater.stock == 11  # the cheapest variant, stock summed
    assert set(sweater.sizes()) == {"S", "M", "L"} and set(sweater.colours()) == {"Grey", "Navy"}
    assert "<p>" not in sweater.description_en and "warm & light" in sweater.description_en
    grey = db["variants"].get("NW-MCS-L-GRY")
    assert (grey["size"], grey["colour"], grey["price"], grey["stock"]) == ("L", "Grey", 84, 7)
    shoes = get_product(db, "trail-running-shoes")
    assert set(shoes.sizes()) == {"40", "41", "42"}  # "Shoe size" is a size
    assert db["variants"].get("trail-running-shoes/41")["stock"] == 2  # no SKU: named by handle
    dripper = get_product(db, "ceramic-pour-over")  # "Default Title": no options
    assert dripper.price == 24.5 and dripper.stock is None and dripper.in_stock  # not tracked
    assert db.execute(
        "SELECT count(*) FROM variants WHERE product_id = ?", [dripper.id]
    ).fetchone() == (0,)
    assert _rejects(report) == [
        {"line": 10, "reason": "the product is not for sale (Status draft)"},
        {"line": 11, "reason": "Handle is missing"},
    ]


def test_a_woocommerce_export_attaches_variations_to_their_parent(db, tmp_path):
    source = tmp_path / "wc-product-export.csv"
    shutil.copy("tests/data/woocommerce_products.csv", source)
    report = import_file(db, source)
    assert report.format == "woocommerce"
    assert (report.inserted, report.variants, report.rejected) == (4, 3, 2)
    hoodie = get_product(db, "woo-hoodie")
    assert hoodie.brand == "Cotonia" and hoodie.category == "Clothing > Hoodies"
    assert hoodie.price == 39.0 and hoodie.stock == 7  # the sale price of the cheapest
    by_parent_id = db["variants"].get("woo-hoodie-blue-l")  # its Parent is "id:10"
    assert (by_parent_id["product_id"], by_parent_id["stock"]) == ("woo-hoodie", 0)
    assert db["variants"].get("woo-hoodie-red-m")["price"] == 39.0
    assert get_product(db, "woo-tote").price == 15.0 and get_product(db, "woo-tote").stock == 30
    assert get_product(db, "woo-mug").stock is None  # stock not managed
    lamp = get_product(db, "woo-lamp")
    assert lamp.stock == 0 and not lamp.in_stock  # "In stock?" 0
    assert _rejects(report) == [
        {"line": 9, "reason": "the product is a draft (Published -1)"},
        {"line": 10, "reason": "its parent woo-ghost is not in the file"},
    ]


def test_the_cli_says_which_platform_it_detected(tmp_path):
    for name, said in [
        ("shopify_products.csv", "as a Shopify product CSV (detected from its header)."),
        ("woocommerce_products.csv", "as a WooCommerce product CSV (detected from its header)."),
    ]:
        shutil.copy(f"tests/data/{name}", tmp_path / name)
        done = _cli_import(tmp_path / name, tmp_path / "shop.db")
        assert done.returncode == 0, done.stderr
        assert said in done.stdout.splitlines()[0]
