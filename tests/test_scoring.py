from voice.scoring import corpus_wer, normalize_for_wer, word_errors


def test_normalisation_folds_case_punctuation_and_numbers():
    assert normalize_for_wer("And Mr. Dashwood, ill-disposed: 80%!", "en") == (
        "and mister dashwood ill disposed eighty percent"
    )
    assert normalize_for_wer("Allume la chambre à 80%", "fr") == normalize_for_wer(
        "allume la Chambre à 80 pourcent", "fr"
    )


def test_word_errors_count_edits():
    assert word_errors("add two bottles of milk", "add 2 bottles of milk") == (0, 5)
    assert word_errors("add two bottles of milk", "and two bottles milk") == (2, 5)
    assert corpus_wer([("a b c d", "a b c d"), ("a b c d", "a x c")]) == 2 / 8
