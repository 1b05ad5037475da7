"""Name variants for a focus (a draft): the same findings, for the people the focus writes about, as a
pass over every pair of spellings; spellings elsewhere are not compared with each other."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import FIXTURES

from checker import api, checks
from checker.align import distinctive
from checker.checks import primitives
from checker.config import Config


def _raw(f) -> tuple:
    return (tuple(f.claims), f.values, f.reason)


def test_focus_gives_the_full_pass_findings_of_its_people(tmp_path):
    names = sorted(p.name for p in (FIXTURES / "clusters").iterdir() if "name" in p.name or "surname" in p.name)
    assert len(names) > 8
    paths = [str(FIXTURES / "clusters" / n / "docs") for n in names]
    config = Config(jobs=1, cache=False,
                    names=[{"canonical": "Lee Jae-myung", "aliases": ["President Lee"]}])
    run = api.collect(paths, config)
    rule = next(r for r in checks.load_rules([]) if r.check == "variant")
    entities = distinctive(run.entities)
    full = primitives.variant(rule, run.claims, [], house_style=config.names, doc_entities=entities)
    assert len(full) >= 5
    calls = []
    real = primitives._same_person
    for doc in range(len(run.docs)):
        primitives._same_person = lambda *a: calls.append(1) or real(*a)
        try:
            focused = primitives.variant(rule, run.claims, [], house_style=config.names, doc_entities=entities,
                                         focus={doc})
        finally:
            primitives._same_person = real
        mine = [f for f in focused if any(run.claims[i].doc == doc for i in f.claims)]  # as evaluate() keeps
        expected = [f for f in full if any(run.claims[i].doc == doc for i in f.claims)]
        assert sorted(map(_raw, mine)) == sorted(map(_raw, expected)), Path(run.docs[doc].path).name
    pairs_full = []
    primitives._same_person = lambda *a: pairs_full.append(1) or real(*a)
    try:
        primitives.variant(rule, run.claims, [], house_style=config.names, doc_entities=entities)
    finally:
        primitives._same_person = real
    assert len(calls) / len(run.docs) < len(pairs_full) / 4  # a focus compares a few of the pairs


CHAIN = {  # Mohammed ~ Muhammad ~ Muhamad: the first and the last are three letters apart, linked only
    # through the middle one; the house style makes "Abu Salem" the same man
    "a.md": "The Kestrel Bridge reopened on Monday, spokesman Mohammed Salem said in Darby.\n",
    "b.md": "Spokesman Muhammad Salem said the Kestrel Bridge would reopen in Darby on Monday.\n",
    "c.md": "The Kestrel Bridge in Darby reopens Monday, according to spokesman Muhamad Salem.\n",
    "d.md": "Spokesman Abu Salem confirmed that the Kestrel Bridge in Darby reopens on Monday.\n",
    "e.md": "Mayor Elena Varga of Lowmoor opened the Lowmoor library; mayor Elena Vargas spoke.\n",
}


def test_focus_follows_chains_and_the_house_style(tmp_path):
    for name, text in CHAIN.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    config = Config(jobs=1, cache=False, names=[{"canonical": "Mohammed Salem", "aliases": ["Abu Salem"]}])
    run = api.collect([str(tmp_path)], config)
    rule = next(r for r in checks.load_rules([]) if r.check == "variant")
    entities = distinctive(run.entities)
    full = primitives.variant(rule, run.claims, [], house_style=config.names, doc_entities=entities)
    salem = [f for f in full if "Salem" in f.values]
    assert len(salem) == 1 and len(salem[0].extra["spellings"]) == 4, salem  # one man, four spellings
    for doc in range(len(run.docs)):
        focused = primitives.variant(rule, run.claims, [], house_style=config.names, doc_entities=entities,
                                     focus={doc})
        mine = [f for f in focused if any(run.claims[i].doc == doc for i in f.claims)]
        expected = [f for f in full if any(run.claims[i].doc == doc for i in f.claims)]
        assert sorted(map(_raw, mine)) == sorted(map(_raw, expected)), Path(run.docs[doc].path).name


def test_close_pairs_keep_every_pair_one_token_apart():
    """variant() checks only the pairs of a block whose differing token is a small edit
    (_close_pairs): for blocks small and large (one C call per spelling), every pair that
    one_token_apart() accepts is among them, and none from outside the block."""
    import random
    from itertools import combinations

    from checker.checks import primitives

    rng = random.Random(4)
    found = 0
    for size in (2, 5, 31, 33, 80, 200):
        for _ in range(5):
            # a block: "kang <given name>" with given names that share a first letter, many near each other
            stems = ["eunhae", "eunhai", "eunha", "eunjae", "eun", "eunhyeok", "ejin", "eunseo"]
            given = set()
            while len(given) < size:
                w = rng.choice(stems)
                w = "".join(ch if rng.random() < 0.85 else rng.choice("aeiouhjn") for ch in w)
                given.add("e" + w[1:])
            ks = sorted(f"Kang {g}" for g in given)
            tokens_of = {k: k.lower().split() for k in ks}
            for max_dist, min_len in ((2, 4), (1, 3)):
                got = set(primitives._close_pairs(ks, 1, tokens_of, max_dist, min_len))
                want = {(a, b) for a, b in combinations(ks, 2)
                        if primitives.one_token_apart(tokens_of[a], tokens_of[b], max_dist, min_len)}
                assert want <= got <= set(combinations(ks, 2))
                found += len(want) if size > 32 else 0
    assert found > 100  # the large blocks (one C call per spelling) had pairs to find


def test_a_drifting_chain_of_spellings_is_not_one_person(tmp_path):
    """Each spelling is one letter from the next, but the first and the last are four apart: pairwise
    links alone made one person written seven ways (in a large archive, a dozen namesakes). A set of
    spellings joins another only when at least half of their pairs are misspellings of each other."""
    chain = ["Korvath", "Korvat", "Kervat", "Kervet", "Kerbet", "Kerbel", "Kerbil"]
    for n, surname in enumerate(chain):
        (tmp_path / f"d{n}.md").write_text(f"President Dana {surname} opened the Tessel Bridge in Marrowby on "
                                           "Monday, the Lowmoor Gazette reported.\n", encoding="utf-8")
    report = api.check([str(tmp_path)], Config(jobs=1, cache=False))
    people = [f.message for f in report.findings if f.rule == "CC201"]
    assert people and all(len(f.claims) < len(chain) for f in report.findings if f.rule == "CC201")
    assert not any("Korvath" in m and "Kerbil" in m for m in people), people
