"""Learning from a corpus: what `--learn` removes that the bundled rules leave, what it costs, what it keeps.

    .venv/bin/python -m bench.learning [--documents N] [--jobs N]

Builds a corpus of N documents (default 2,000) from the shared references' article bodies (dev, fundus,
world: real prose in many languages) spread over ten invented sites, each with chrome of its own that no
bundled rule names (a header, a widget between paragraphs, a "Label: headline" box, closing promos and a
footer, in the site's language; half the sites saved one-line as scrapers that join paragraphs do). Each
body goes once to each site, so no article repeats inside a site. Prints, without and with learning: the
share of chrome occurrences that survive (leak) and the share of the bodies' words kept (recall); and the
learning pass's speed beside cleaning's (documents and MB per second, one process). Then the shared real
scraped sets grouped by outlet: what is learned there, and how many bodies it changes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from collections import Counter
from pathlib import Path

from cleaner import Cleaner

SHARED = Path(__file__).resolve().parents[2] / "shared"

#: Ten invented sites: host, whether saved on one line, and their chrome (header, widget, frame label,
#: closing lines) in their language.
SITES = [
    ("harbourpost.co.uk", False, "HARBOUR POST | Home | World | Sport", "\u25b6 HARBOUR POST TV: LIVE NOW",
     "More Harbour Post:", ["Harbour Post journalism is funded by readers like you, so join the club today and "
                            "get our weekend edition free.", "Harbour Post Media Group 2025"]),
    ("wartakita.co.id", True, "Warta Kita \u00bb Nasional \u00bb", "KANAL WARTA KITA TV",
     "Sorotan Warta Kita:", ["Dapatkan kabar terkini Warta Kita langsung di ponsel Anda lewat kanal Saluran "
                             "Warta setiap pagi dan sore."]),
    ("nordkurier-neu.de", False, "NORDKURIER NEU \u00b7 Startseite \u00b7 Region", "NK-PLUS \u2022 JETZT TESTEN",
     "Mehr aus der Region:", ["Der Nordkurier Neu ist werktags ab sechs Uhr im Handel und als App erhältlich, "
                              "für Abonnenten ohne weitere Kosten.", "Verlagshaus Nordkurier Neu GmbH"]),
    ("diariodelsur.es", True, "Diario del Sur | Portada |", "DDS DIRECTO \u00b7 EN VIVO",
     "Lo más visto en Diario del Sur:", ["Diario del Sur se financia con las suscripciones de sus lectores, "
                                         "suscríbete por un euro el primer mes."]),
    ("folhanova.com.br", False, "FOLHA NOVA \u2014 Início \u2014 Brasil", "FN AO VIVO",
     "Leia na Folha Nova:", ["A Folha Nova chega à sua casa todos os domingos, assine agora e ganhe o "
                             "primeiro mês de acesso digital.", "Grupo Folha Nova de Comunicação"]),
    ("beritaselatan.my", True, "Berita Selatan > Terkini >", "BS LIVE \u00bb TONTON",
     "Pilihan Berita Selatan:", ["Sertai saluran Berita Selatan di aplikasi pesanan kegemaran anda untuk "
                                 "berita pantas setiap hari."]),
    ("gazzettaest.it", False, "GAZZETTA EST / Home / Cronaca", "GE TV \u25b8 IN DIRETTA",
     "Dalla Gazzetta Est:", ["La Gazzetta Est è in edicola ogni mattina e sulla nostra app, con tutte le "
                             "edizioni locali incluse.", "Editrice Gazzetta Est Srl"]),
    ("echodunord.fr", True, "L'Écho du Nord \u203a Accueil \u203a", "ÉCHO DIRECT",
     "À lire sur L'Écho du Nord :", ["L'Écho du Nord vit grâce à ses abonnés, rejoignez-les dès aujourd'hui "
                                     "pour un euro par mois."]),
    ("baomoi-tin.vn", False, "BÁO TIN MỚI | Trang chủ | Thời sự", "TIN MỚI TV TRỰC TIẾP",
     "Đọc thêm trên Báo Tin Mới:", ["Báo Tin Mới phát hành mỗi sáng và trên ứng dụng, miễn phí cho bạn đọc "
                                    "đăng ký tài khoản."]),
    ("kuzeyhaber.com.tr", True, "KUZEY HABER / Anasayfa / Gündem", "KH CANLI YAYIN",
     "Kuzey Haber'de bugün:", ["Kuzey Haber okurlarının desteğiyle yayın yapıyor, abone olarak bağımsız "
                               "gazeteciliğe katkı sağlayın."]),
]

_WORD = re.compile(r"\w+")


def _bodies() -> list[str]:
    found = []
    for folder in (SHARED / "dev", SHARED / "fundus", SHARED / "dev" / "scraped" / "world"):
        for path in sorted(folder.glob("*.expected.json")):
            text = json.loads(path.read_text(encoding="utf-8")).get("text") or ""
            if text.count("\n\n") >= 2:
                found.append(text)
    return found


def corpus(documents: int) -> list[tuple[dict[str, str], str, list[str]]]:
    """(record, body, chrome strings) per document."""
    bodies = _bodies()
    rng = random.Random(7)
    out = []
    per_site = -(-documents // len(SITES))
    for host, one_line, header, widget, label, closing in SITES:
        order = list(range(len(bodies)))
        rng.shuffle(order)
        for number in range(per_site):
            body = bodies[order[number % len(order)]]
            paragraphs = body.split("\n\n")
            headline = " ".join(rng.choice(_WORD.findall(bodies[rng.randrange(len(bodies))]) or ["News"])
                                .title() for _ in range(5))
            frame = f"{label} {headline}"
            lines = [header, *paragraphs[:2], widget, *paragraphs[2:3], frame, *paragraphs[3:], *closing]
            text = " ".join(lines) if one_line else "\n\n".join(lines)
            record = {"id": f"{host}-{number}", "url": f"https://www.{host}/a/{number}", "text": text}
            out.append((record, body, [header, widget, frame, *closing]))
            if len(out) == documents:
                return out
    return out


def _tokens(text: str) -> Counter[str]:
    return Counter(t.lower() for t in _WORD.findall(text))


def measure(cleaner: Cleaner, items: list[tuple[dict[str, str], str, list[str]]]) -> tuple[float, float, float]:
    """Leak, recall and seconds of cleaning the corpus."""
    leaked = total = kept = words = 0
    started = time.process_time()
    results = [cleaner.clean(record["text"], url=record["url"]) for record, _, _ in items]
    seconds = time.process_time() - started
    for (_record, body, chrome), result in zip(items, results, strict=True):
        total += len(chrome)
        leaked += sum(1 for piece in chrome if piece in result.text)
        reference, output = _tokens(body), _tokens(result.text)
        kept += sum((reference & output).values())
        words += sum(reference.values())
    return leaked / max(total, 1), kept / max(words, 1), seconds


def real_exports() -> list[tuple[str, list[dict[str, str]]]]:
    """The shared real scraped sets as exports grouped by outlet (dev/scraped by the page's outlet, world by its
    URL's domain): little repeats there, so little should be learned, and no article text."""
    exports = []
    scraped = sorted((SHARED / "dev" / "scraped").glob("*.txt"))
    if scraped:
        exports.append(("dev/scraped", [{"id": p.stem, "url": f"https://www.{p.stem.split('_')[0]}.co.id/{p.stem}",
                                         "text": p.read_text(encoding="utf-8")} for p in scraped]))
    world = SHARED / "dev" / "scraped" / "world" / "input.jsonl"
    if world.exists():
        exports.append(("world", [json.loads(line) for line in world.read_text(encoding="utf-8").splitlines()]))
    return exports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes for the learning pass")
    args = parser.parse_args()
    items = corpus(args.documents)
    megabytes = sum(len(record["text"].encode()) for record, _, _ in items) / 1e6
    cleaner = Cleaner()
    cleaner.warm_up()
    leak, recall, clean_seconds = measure(cleaner, items)
    started, cpu = time.perf_counter(), time.process_time()
    learned = cleaner.learn([record for record, _, _ in items], jobs=args.jobs)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    rules = sum(found for _, _, found in learned.groups)
    learned_leak, learned_recall, _ = measure(cleaner.with_learned(learned), items)
    print(f"{len(items)} documents, {megabytes:.1f} MB, {len(SITES)} sites")
    print(f"  without learning: leak {leak:.4f}  recall {recall:.4f}")
    print(f"  with --learn:     leak {learned_leak:.4f}  recall {learned_recall:.4f}  ({rules} rules learned)")
    per_core = f"{len(items) / cpu:.0f} docs/s, {megabytes / cpu:.2f} MB/s" if args.jobs == 1 else \
        f"{len(items) / wall:.0f} docs/s wall with {args.jobs} jobs"
    print(f"  learning pass: {per_core}; cleaning: {len(items) / clean_seconds:.0f} docs/s, "
          f"{megabytes / clean_seconds:.2f} MB/s (CPU time, one process)")
    for name, rows in real_exports():
        learned = cleaner.learn(rows, jobs=args.jobs)
        with_rules = cleaner.with_learned(learned)
        changed = sum(cleaner.clean_or_error(r["text"], r.get("url")).text
                      != with_rules.clean_or_error(r["text"], r.get("url")).text for r in rows)
        groups = sum(1 for _, count, _ in learned.groups if count >= 5)
        print(f"{name} grouped by outlet: {len(rows)} documents, {groups} outlets with 5 or more, "
              f"{sum(found for _, _, found in learned.groups)} rules learned, {changed} bodies changed")


if __name__ == "__main__":
    main()
