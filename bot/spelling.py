"""Spell-check what the bot says in Georgian: Debian's hunspell with `dictionary-ka`.

The texts are the Georgian replies (bot/texts.py) and every entry's Georgian
question (shown in menus) and answer. scripts/setup.sh installs hunspell and
puts the dictionary in ~/.cache/migbot/hunspell/ka.aff|ka.dic.

The dictionary is a list of word forms seen in a corpus, so it misses many
valid inflections. Two things keep the list of words to review short:
- a word that is a known word plus a clitic (-ა "is", -ც "also", -ო quoting)
  or a postposition (-თვის, -გან, -მდე) is accepted, as the base was checked,
  and so is a noun ending in -ში, -ზე, -თან, -მა or -ად whose nominative,
  dative or genitive is known;
- bot/spelling_allowlist.txt lists reviewed valid words the dictionary lacks,
  each under the place where it was reviewed: a file (`[recruitment-fees.yml]`,
  its question and answer) or one text key (`[texts.py: help]`). A word is
  accepted only where it is listed: "გატყუეს" was once allowlisted for the
  whole bot because a reviewer read it somewhere, and the typo in another
  entry passed.

    python -m bot.spelling              # unknown words, counts, where they are
    python -m bot.spelling --suggest    # allowlist sections for the words not yet listed
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ENTRIES_DIR = REPO_ROOT / "knowledge_base" / "entries"
ALLOWLIST_FILE = Path(__file__).with_name("spelling_allowlist.txt")
DICTIONARY_DIR = Path("~/.cache/migbot/hunspell").expanduser()

# Only Mkhedruli words are checked: Latin words (IOM, Telegram), numbers and
# romanised Georgian are not the dictionary's business.
GEORGIAN_WORD = re.compile(r"^[\u10d0-\u10ff]+$")
URL = re.compile(r"(?:https?://|www\.)\S+")
# Tried one after the other: a clitic closes the word, a postposition stands
# before it ("ადამიანებისთვისაა" = ადამიანების + თვის + ა + ა).
CLITICS = ("ა", "ც", "აც", "ო")
POSTPOSITIONS = ("თვის", "გან", "მდე")
# Endings no verb form has: a noun with one of them is vouched for by its
# nominative, dative or genitive ("ბოტმა", "კონსულტანტთან" by "ბოტის", ...).
NOUN_ENDINGS = ("ში", "ზე", "თან", "მა", "ად")
VOWELS = "აეიოუ"
SHORTEST_BASE = 3  # the .dic lists single letters; "ა" + clitic must not pass


@dataclass(frozen=True)
class BotText:
    where: str  # "texts.py: start", "check-agency.yml: ka.answer"
    text: str

    @property
    def file(self) -> str:
        return self.where.split(":", 1)[0]

    @property
    def place(self) -> str:
        """Where a new allowlist word goes: the text key for the bot's own texts
        (105 unrelated texts in one file), the whole file for an entry."""
        return self.where if self.file == texts_file() else self.file


def texts_file() -> str:
    import bot.texts

    return Path(bot.texts.__file__).name


def georgian_bot_texts(entries_dir: Path = ENTRIES_DIR) -> list[BotText]:
    """Everything the bot can say in Georgian, with where each text lives."""
    from bot.texts import MESSAGES
    from knowledge_base.entries import load_entries

    texts_name = texts_file()
    texts = [BotText(f"{texts_name}: {key}", langs["ka"]) for key, langs in MESSAGES.items()]
    for entry in load_entries(entries_dir):
        name = entry.path.name if entry.path else entry.id
        georgian = entry.text("ka")
        texts.append(BotText(f"{name}: ka.question", georgian.question))
        texts.append(BotText(f"{name}: ka.answer", georgian.answer))
    return texts


def hunspell_unknown(text: str, dictionary_dir: Path) -> list[str]:
    """Every word occurrence hunspell does not know (`-l`), in order."""
    if shutil.which("hunspell") is None:
        raise RuntimeError("hunspell is not installed: run `make setup` (scripts/setup.sh)")
    dictionary = dictionary_dir / "ka"
    if not dictionary.with_suffix(".dic").is_file():
        raise RuntimeError(f"{dictionary}.dic missing: run `make setup` (scripts/setup.sh)")
    result = subprocess.run(
        ["hunspell", "-d", str(dictionary), "-l", "-i", "utf-8"],
        input=text.encode("utf-8"),
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8").split()


def unknown_words(texts: Iterable[str], dictionary_dir: Path = DICTIONARY_DIR) -> dict[str, int]:
    """Georgian words neither the dictionary nor the clitic rules know -> occurrences."""
    text = "\n".join(URL.sub(" ", t) for t in texts)
    counts = Counter(w for w in hunspell_unknown(text, dictionary_dir) if GEORGIAN_WORD.match(w))
    known = known_by_base(list(counts), dictionary_dir)
    return {word: n for word, n in sorted(counts.items()) if word not in known}


def known_by_base(words: list[str], dictionary_dir: Path) -> set[str]:
    """The words that are a dictionary word plus clitics or a postposition."""
    bases_of = {word: candidate_bases(word) for word in words}
    every_base = sorted(set().union(*bases_of.values())) if bases_of else []
    if not every_base:
        return set()
    unknown_bases = set(hunspell_unknown("\n".join(every_base), dictionary_dir))
    return {word for word, bases in bases_of.items() if bases - unknown_bases}


def candidate_bases(word: str) -> set[str]:
    forms = {word}
    for _ in range(2):  # "-თვისაა": two clitics
        forms |= {f.removesuffix(c) for f in forms for c in CLITICS if f.endswith(c)}
    forms |= {f.removesuffix(p) for f in forms for p in POSTPOSITIONS if f.endswith(p)}
    forms |= {b for f in forms for e in NOUN_ENDINGS if f.endswith(e) for b in noun_forms(f, e)}
    return {f for f in forms if f != word and len(f) >= SHORTEST_BASE}


def noun_forms(word: str, ending: str) -> set[str]:
    stem = word.removesuffix(ending)
    if len(stem) < SHORTEST_BASE:
        return set()
    if stem[-1] in VOWELS:  # "საკონსულო-ში", "მიგრაცია-ზე"
        return {stem, stem + "ს"}
    return {stem + "ი", stem + "ს", stem + "ის"}


Allowlist = dict[str, list[str]]  # place ("check-agency.yml", "texts.py: help") -> words


def load_allowlist(path: Path = ALLOWLIST_FILE) -> Allowlist:
    """`[place]` headers, each followed by reviewed words, one a line; `#` starts a comment."""
    allowlist: Allowlist = {}
    place = None
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            place = " ".join(line[1:-1].split())  # "[texts.py:  help]" -> "texts.py: help"
            if place in allowlist:
                raise ValueError(f"{path.name}:{number}: [{place}] appears twice")
            allowlist[place] = []
        elif place is None:
            raise ValueError(f"{path.name}:{number}: {line!r} before the first [place] header")
        else:
            allowlist[place].append(line)
    return allowlist


def allowed_words(text: BotText, allowlist: Allowlist) -> set[str]:
    """The words the allowlist accepts in this text: its file's and its key's."""
    return {*allowlist.get(text.file, ()), *allowlist.get(text.where, ())}


def locate(word: str, texts: list[BotText]) -> list[BotText]:
    # Georgian letters are \w, so \b marks where a Georgian word starts and ends.
    pattern = re.compile(rf"\b{re.escape(word)}\b")
    return [t for t in texts if pattern.search(URL.sub(" ", t.text))]


def not_allowed(
    texts: list[BotText], unknown: Iterable[str], allowlist: Allowlist
) -> dict[str, list[BotText]]:
    """Unknown word -> the texts where it occurs and the allowlist does not accept it."""
    found = {}
    for word in unknown:
        where = [t for t in locate(word, texts) if word not in allowed_words(t, allowlist)]
        if where:
            found[word] = where
    return found


def stale(texts: list[BotText], unknown: Iterable[str], allowlist: Allowlist) -> list[str]:
    """`place: word` for each allowlisted word no text of that place needs any more."""
    unknown = set(unknown)
    found = []
    for place, words in allowlist.items():
        here = [t for t in texts if place in (t.file, t.where)]
        for word in words:
            if word not in unknown or not locate(word, here):
                found.append(f"{place}: {word}")
    return found


def suggestion(missing: dict[str, list[BotText]]) -> str:
    """Allowlist sections for the words not yet listed (review each before adding it)."""
    places: dict[str, set[str]] = {}
    for word, where in missing.items():
        for text in where:
            places.setdefault(text.place, set()).add(word)
    return "\n\n".join(
        "\n".join([f"[{place}]", *sorted(words)]) for place, words in sorted(places.items())
    )


def report(texts: list[BotText], dictionary_dir: Path, allowlist: Allowlist) -> tuple[str, int]:
    """A readable listing and how many unknown words occur where they are not allowlisted."""
    unknown = unknown_words((t.text for t in texts), dictionary_dir)
    missing = not_allowed(texts, unknown, allowlist)
    lines = []
    # the words to act on come last, next to the summary
    for word, count in sorted(unknown.items(), key=lambda item: item[0] in missing):
        wrong = set(map(id, missing.get(word, [])))
        places = [
            t.where + (" (NOT ALLOWLISTED)" if id(t) in wrong else "") for t in locate(word, texts)
        ]
        lines.append(f"{count:3d}  {word}: " + ", ".join(places))
    lines.append(
        f"{len(unknown)} unknown words, {len(missing)} of them in a place the allowlist "
        "does not list them for"
    )
    return "\n".join(lines), len(missing)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Spell-check the bot's Georgian texts.")
    parser.add_argument("--dictionary-dir", type=Path, default=DICTIONARY_DIR)
    parser.add_argument("--entries", type=Path, default=ENTRIES_DIR)
    parser.add_argument("--allowlist", type=Path, default=ALLOWLIST_FILE)
    parser.add_argument(
        "--suggest",
        action="store_true",
        help="print allowlist sections for the words not yet listed where they occur",
    )
    args = parser.parse_args(argv)
    texts = georgian_bot_texts(args.entries)
    allowlist = load_allowlist(args.allowlist)
    if args.suggest:
        unknown = unknown_words((t.text for t in texts), args.dictionary_dir)
        print(suggestion(not_allowed(texts, unknown, allowlist)))
        return 0
    listing, new = report(texts, args.dictionary_dir, allowlist)
    print(listing)
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
