import pytest

from voice.speech_text import normalize_for_speech


@pytest.mark.parametrize(
    ("text", "lang", "said"),
    [
        ("It costs 49.99 €", "en", "It costs forty-nine euros ninety-nine"),
        ("Only $12.50!", "en", "Only twelve dollars fifty!"),
        ("1,299.00 $", "en", "one thousand, two hundred and ninety-nine dollars"),
        ("0.50 €", "en", "fifty cents"),
        ("1 €", "en", "one euro"),
        ("20% off", "en", "twenty percent off"),
        ("the 2nd one", "en", "the second one"),
        ("size M and XS", "en", "size medium and extra small"),
        ("2.5 kg", "en", "two point five kilograms"),
        ("3 items", "en", "three items"),
        ("Ça coûte 49,99 €", "fr", "Ça coûte quarante-neuf euros quatre-vingt-dix-neuf"),
        ("Prix : 49.99 €", "fr", "Prix : quarante-neuf euros quatre-vingt-dix-neuf"),
        ("1 299,00 €", "fr", "mille deux cent quatre-vingt-dix-neuf euros"),
        ("le 1er et la 1re", "fr", "le premier et la première"),
        ("le 2e article, le 3ème", "fr", "le deuxième article, le troisième"),
        ("2,5 kg de pommes", "fr", "deux virgule cinq kilos de pommes"),
        ("2,05 l", "fr", "deux virgule zéro cinq litres"),
        ("-20 % en taille XL", "fr", "-vingt pour cent en taille extra large"),
        ("the Viktor LumaTech™ Pant", "en", "the Viktor LumaTech Pant"),  # not "trade mark"
        ("le sac Nordwind® Pro©", "fr", "le sac Nordwind Pro"),
    ],
)
def test_prices_numbers_ordinals_and_sizes_are_spelled_out(text, lang, said):
    assert normalize_for_speech(text, lang) == said
