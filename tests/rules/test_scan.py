

def test_find_all_gives_every_offset_of_a_word() -> None:
    from llmx.rules.scan import find_all

    assert find_all("a deal, a deal and no deal", "deal") == [2, 10, 22]
    assert find_all("aaa", "aa") == [0, 1]
    assert find_all("nothing here", "deal") == []
