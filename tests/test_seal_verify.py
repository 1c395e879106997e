"""Seals and verify: tampering is detected and named, layout changes are not."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from audit_support import JOURNAL, run, verified, write_ledger
from beancount.core import data

from wijkboekhouding.engine.journal import append
from wijkboekhouding.engine.seal import read_events

UNTIL = "2024-03-31"


def sealed(tmp_path: Path, journal: str = JOURNAL) -> Path:
    main = write_ledger(tmp_path / "ledger", journal)
    result = run("seal", main, "--until", UNTIL)
    assert result.exit_code == 0, result.output
    return main


def test_a_seal_covers_the_events_up_to_its_date_and_verifies(tmp_path: Path) -> None:
    main = sealed(tmp_path)
    seal_line = run("seal", main, "--until", "2024-12-31").output
    found = verified(main)
    # The header holds 6 events (commodity, 2 areas, 3 opens), the journal 5.
    assert found["ok"] is True
    assert [(s["until"], s["new_events"], s["events"]) for s in found["seals"]] == [
        (UNTIL, 10, 10),
        ("2024-12-31", 1, 11),
    ]
    assert "sealed 1 new events (11 in all) until 2024-12-31" in seal_line
    assert found["problems"] == [] and found["unsealed"] == []
    text = main.read_text()
    assert text.count('custom "seal"') == 2
    first_hash = found["seals"][0]["hash"]
    assert f'previous: "{first_hash}"' in text


def test_events_after_the_last_seal_are_reported_unsealed_not_as_errors(
    tmp_path: Path,
) -> None:
    main = sealed(tmp_path)
    result = run("verify", main)
    assert result.exit_code == 0
    assert "1 unsealed event(s), after the last seal:" in result.output
    assert "main.beancount:38: 2024-05-01 plant-2: not sealed yet" in result.output
    assert result.output.rstrip().endswith("verified: ok")


def _amount(text: str) -> str:
    return text.replace(
        "  Assets:Kas         25.00 EUR", "  Assets:Kas         52.00 EUR"
    )


def _metadata(text: str) -> str:
    return text.replace('note: "contant"', 'note: "giro"')


def _delete(text: str) -> str:
    return re.sub(r'2024-03-05 \* "Buurman" "Gift maart"\n(  .*\n)+\n', "", text)


def _insert(text: str) -> str:
    extra = '2024-02-20 * "Onbekend" "Achteraf"\n  Assets:Kas  5.00 EUR\n'
    return text.replace("2024-03-05 *", extra + "  Income:Giften\n\n2024-03-05 *")


def _swap(text: str) -> str:
    gift = re.search(r'2024-02-10 \* "Buurvrouw".*?\n\n', text, re.S)
    plant = re.search(r'2024-02-10 \* "Tuincentrum".*?\n\n', text, re.S)
    assert gift and plant
    return text.replace(gift.group(0) + plant.group(0), plant.group(0) + gift.group(0))


def _redate(text: str) -> str:
    return text.replace('2024-03-05 * "Buurman"', '2024-03-06 * "Buurman"')


TAMPERING: list[tuple[str, Callable[[str], str], str, str | None, str, str]] = [
    # name, edit, kind, id, date, message
    ("amount", _amount, "changed", "gift-2", "2024-02-10", "amount or account changed"),
    ("metadata", _metadata, "changed", "gift-2", "2024-02-10", "metadata changed"),
    ("deleted", _delete, "deleted", None, "2024-03-05", "deleted: sealed event 10"),
    ("inserted", _insert, "inserted", None, "2024-02-20", "inserted into the sealed"),
    ("swapped", _swap, "moved", "plant-1", "2024-02-10", "(now before gift-2)"),
    (
        "redated",
        _redate,
        "moved",
        "gift-3",
        "2024-03-06",
        "date changed from 2024-03-05",
    ),
]


@pytest.mark.parametrize(
    ("edit", "kind", "event_id", "date", "message"),
    [case[1:] for case in TAMPERING],
    ids=[case[0] for case in TAMPERING],
)
def test_tampering_with_a_sealed_event_is_detected_and_named(
    tmp_path: Path,
    edit: Callable[[str], str],
    kind: str,
    event_id: str | None,
    date: str,
    message: str,
) -> None:
    main = sealed(tmp_path)
    main.write_text(edit(main.read_text()))
    found = verified(main)
    assert found["ok"] is False
    assert [s["ok"] for s in found["seals"]] == [False]
    assert len(found["problems"]) == 1
    problem = found["problems"][0]
    assert (problem["kind"], problem["id"], problem["date"]) == (kind, event_id, date)
    assert message in problem["message"]
    assert problem["seal"].startswith(f"seal of {UNTIL} (")
    # The line named is where the event (or, when deleted, its neighbour) is.
    lines = main.read_text().splitlines()
    assert problem["file"] == str(main)
    assert lines[problem["line"] - 1].startswith(
        problem["date"] if kind != "deleted" else "2024-02-10"
    )

    text = run("verify", main)
    assert text.exit_code == 1
    assert f"{problem['line']}: {date}" in text.output
    assert text.output.rstrip().endswith("verify FAILED")


def test_the_swapped_partner_is_named_too(tmp_path: Path) -> None:
    main = sealed(tmp_path)
    main.write_text(_swap(main.read_text()))
    output = run("verify", main).output
    assert "plant-1: moved: its order among the events of its day changed" in output
    assert "(now before gift-2)" in output


def _reformat(text: str) -> str:
    # Other indentation and alignment, blank lines, and comments everywhere.
    text = text.replace("\n  ", "\n      ").replace("         ", " ")
    text = text.replace("\n\n", "\n\n\n; a comment\n")
    return "; Reformatted by hand\n" + text.replace("EUR\n", "EUR ; note\n")


def _reorder_metadata(text: str) -> str:
    return text.replace(
        '  id: "gift-2"\n  note: "contant"\n', '  note: "contant"\n  id: "gift-2"\n'
    )


@pytest.mark.parametrize(
    "edit",
    [_reformat, _reorder_metadata],
    ids=["whitespace-and-comments", "metadata-lines-reordered"],
)
def test_reformatting_and_comments_are_not_flagged(
    tmp_path: Path, edit: Callable[[str], str]
) -> None:
    main = sealed(tmp_path)
    before = main.read_text()
    main.write_text(edit(before))
    assert main.read_text() != before
    found = verified(main)
    assert found["ok"] is True, found["problems"]
    assert [s["ok"] for s in found["seals"]] == [True]


@pytest.mark.parametrize("where", ["in-place", "at-the-top"])
def test_moving_the_journal_into_an_included_file_is_not_flagged(
    tmp_path: Path, where: str
) -> None:
    main = sealed(tmp_path)
    text = main.read_text()
    head, rest = text.split('2024-01-15 * "Buurman"', 1)
    journal, seal_text = rest.split("\n2024-03-31 custom", 1)
    (main.parent / "journal.beancount").write_text('2024-01-15 * "Buurman"' + journal)
    include = 'include "journal.beancount"\n'
    if where == "in-place":
        main.write_text(head + include + "\n2024-03-31 custom" + seal_text)
    else:
        main.write_text(include + head + "\n2024-03-31 custom" + seal_text)
    found = verified(main)
    assert found["ok"] is True, found["problems"]
    assert found["events"] == 11
    assert [s["ok"] for s in found["seals"]] == [True]


def test_the_canonical_order_puts_included_events_in_their_place(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "ledger"
    folder.mkdir()
    (folder / "inner.beancount").write_text('2024-01-01 custom "note" "inner"\n')
    (folder / "main.beancount").write_text(
        '2024-01-01 custom "note" "first"\n\n'
        'include "inner.beancount"\n\n'
        '2024-01-01 custom "note" "last"\n'
        "2023-12-31 open Assets:Kas\n"
    )
    log = read_events(folder / "main.beancount")
    assert isinstance(log.events[0], data.Open)
    assert [e.values[0].value for e in log.events[1:]] == ["first", "inner", "last"]


def test_removing_a_seal_from_the_middle_of_the_chain_is_a_problem(
    tmp_path: Path,
) -> None:
    main = sealed(tmp_path)
    assert run("seal", main, "--until", "2024-12-31").exit_code == 0
    text = main.read_text()
    first = re.search(
        r"\n2024-03-31 custom \"seal\".*?recorded: \"[^\"]+\"\n", text, re.S
    )
    assert first
    main.write_text(text.replace(first.group(0), "\n"))
    found = verified(main)
    assert [p["kind"] for p in found["problems"]] == ["seal-chain", "unlisted"]
    assert found["problems"][1]["message"].startswith(
        "10 events dated 2024-01-01 to 2024-03-05 are not listed by this seal"
    )
    assert found["ok"] is False


def test_duplicate_ids_and_dangling_references_are_problems(tmp_path: Path) -> None:
    journal = JOURNAL.replace('id: "plant-2"', 'id: "gift-1"').replace(
        'id: "gift-3"', 'id: "gift-3"\n  reverses: "gift-99"'
    )
    main = write_ledger(tmp_path / "ledger", journal)
    found = verified(main)
    assert sorted((p["kind"], p["id"], p["line"]) for p in found["problems"]) == [
        ("dangling-reference", "gift-3", 33),
        ("duplicate-id", "gift-1", 17),
        ("duplicate-id", "gift-1", 39),
    ]
    assert "reverses 'gift-99', but no event has that id" in str(found["problems"])


def test_a_correction_after_the_seal_is_late_and_the_next_seal_covers_it(
    tmp_path: Path,
) -> None:
    main = sealed(tmp_path)
    assert run("correct", main, "gift-2", "--reason", "dubbel geboekt").exit_code == 0
    found = verified(main)
    assert found["ok"] is True
    assert [(f["id"], f["kind"]) for f in found["late"]] == [
        ("gift-2/reversal", "late")
    ]
    assert run("seal", main, "--until", UNTIL).exit_code == 0
    again = verified(main)
    assert [s["new_events"] for s in again["seals"]] == [10, 1]
    assert again["ok"] is True


def test_seal_refuses_a_ledger_that_does_not_verify(tmp_path: Path) -> None:
    main = sealed(tmp_path)
    main.write_text(_amount(main.read_text()))
    before = main.read_bytes()
    result = run("seal", main)
    assert result.exit_code == 1
    assert "does not verify, so it is not sealed" in result.output
    assert "gift-2: amount or account changed" in result.output
    assert main.read_bytes() == before


def test_appended_events_dated_in_the_sealed_period_are_late_not_inserted(
    tmp_path: Path,
) -> None:
    main = sealed(tmp_path)
    extra = read_events(main).events[-1]._replace(date=datetime.date(2024, 2, 1))
    extra = extra._replace(meta={**extra.meta, "id": "laat-1"})
    append(main, [extra])
    found = verified(main)
    assert found["ok"] is True
    assert [f["id"] for f in found["late"]] == ["laat-1"]


def test_an_event_stamped_in_the_future_or_unreadably_cannot_escape_the_seal(
    tmp_path: Path,
) -> None:
    # Inserted by hand into the sealed period with stamps that would place
    # it after the seal: both are problems, named by line.
    main = sealed(tmp_path)
    text = (
        main.read_text()
        .replace(
            '  id: "gift-3"\n',
            '  id: "gift-3"\n  recorded: "2999-01-01T00:00:00.000000Z"\n',
        )
        .replace('  id: "plant-2"\n', '  id: "plant-2"\n  recorded: "gisteren"\n')
    )
    main.write_text(text)
    found = verified(main)
    assert found["ok"] is False
    stamps = [p for p in found["problems"] if p["kind"] == "bad-recorded"]
    assert [(p["line"], p["message"]) for p in stamps] == [
        (33, "recorded '2999-01-01T00:00:00.000000Z' lies in the future; an event"
             " is recorded when it is written, so correct the stamp"),
        (39, "recorded 'gisteren' is not a time; write an ISO UTC time such as"
             " 2024-03-01T12:00:00Z, or remove the line"),
    ]  # fmt: skip
    checked = run("check", main)
    assert checked.exit_code == 1
    assert f"{main}:39: recorded 'gisteren' is not a time" in checked.output
