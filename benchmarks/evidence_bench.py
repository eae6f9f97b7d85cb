"""Evidence files (issue 19, DESIGN §3.11): the upload's checks and storing (evidence.files.check_file, then
the evidence storage's save: what evidence.services.document_upload does around its one row) and the
download (the page's and the API's FileResponse, read to its end), for a 10 MB PDF and a 5 MB photo.

Each operation runs in a fresh forked child, so that no memory freed by an earlier one hides its growth;
memory is the peak RSS sampled every 5 ms minus the RSS when it began. The PDF's memory is compared with
the same operation on a 20 MB PDF (the limit): streamed, it does not grow with the file's size. Times are
compared with a plain copy of the same bytes into the same storage, and a plain read of the stored file.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import random
import tempfile
import time
from collections.abc import Callable
from typing import Any

from .measure import MIB, Measurement, MemoryWatch, stderr


def _pdf_of(megabytes: int, seed: int) -> bytes:
    """A PDF of about this size: pages whose content streams are long runs of drawing operators."""
    from pypdf import PdfWriter
    from pypdf.generic import ContentStream, DecodedStreamObject, NameObject

    rng = random.Random(seed)  # noqa: S311  (generated bench data, not a secret)
    writer = PdfWriter()
    target = megabytes * 1024 * 1024
    per_page = 512 * 1024
    while True:
        page = writer.add_blank_page(width=595, height=842)
        ops = "".join(
            f"{rng.randint(0, 595)} {rng.randint(0, 842)} {rng.randint(1, 40)} {rng.randint(1, 40)} re f\n"
            for _ in range(per_page // 24)
        ).encode()
        stream = DecodedStreamObject()
        stream.set_data(ops)
        page[NameObject("/Contents")] = writer._add_object(ContentStream(stream, writer))
        out = io.BytesIO()
        writer.write(out)
        if out.tell() >= target:
            return out.getvalue()


def _photo_of(megabytes: int, seed: int) -> tuple[bytes, tuple[int, int]]:
    """A 12-megapixel JPEG (a phone's photo) of about this size: a gradient under noise."""
    from PIL import Image

    size = (4000, 3000)
    rng = random.Random(seed)  # noqa: S311  (generated bench data, not a secret)
    noise = Image.frombytes("L", size, rng.randbytes(size[0] * size[1])).convert("RGB")
    base = Image.linear_gradient("L").resize(size).convert("RGB")
    quality = 60
    while True:
        image = Image.blend(base, noise, 0.35)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=quality)
        if out.tell() >= megabytes * 1024 * 1024 * 0.95 or quality >= 95:
            return out.getvalue(), size
        quality += 5


def _upload(path: str) -> None:
    from django.core.files import File
    from django.core.files.storage import storages

    from evidence.files import check_file

    with open(path, "rb") as source:
        checked = check_file(source, keep_place=False)
        name = storages["evidence"].save("bench/upload", File(checked.content))
        checked.content.close()
    storages["evidence"].delete(name)


def _plain_copy(path: str) -> None:
    from django.core.files import File
    from django.core.files.storage import storages

    with open(path, "rb") as source:
        name = storages["evidence"].save("bench/plain", File(source))
    storages["evidence"].delete(name)


def _download(name: str, content_type: str) -> None:
    from django.core.files.storage import storages
    from django.http import FileResponse

    response = FileResponse(
        storages["evidence"].open(name, "rb"), as_attachment=True, content_type=content_type
    )
    for _ in response.streaming_content:  # type: ignore[union-attr]
        pass
    response.close()


def _plain_read(name: str) -> None:
    from django.core.files.storage import storages

    with storages["evidence"].open(name, "rb") as stored:
        while stored.read(64 * 1024):
            pass


def _child(target: Callable[..., None], args: tuple[Any, ...], queue: Any) -> None:
    watch = MemoryWatch(interval=0.005)
    with watch.watch():
        started = time.perf_counter()
        target(*args)
        seconds = time.perf_counter() - started
    queue.put((seconds, watch.growth))


def _measured(target: Callable[..., None], *args: Any, repeat: int) -> tuple[float, float]:
    """Best wall time and the largest memory growth over `repeat` fresh children."""
    context = multiprocessing.get_context("fork")
    best, growth = float("inf"), 0
    for _ in range(repeat):
        queue = context.Queue()
        child = context.Process(target=_child, args=(target, args, queue))
        child.start()
        seconds, grew = queue.get()
        child.join()
        best, growth = min(best, seconds), max(growth, grew)
    return best, growth / MIB


def run(*, repeat: int = 3, seed: int = 20260301) -> tuple[list[Measurement], dict[str, Any]]:
    from django.core.files.storage import storages

    with tempfile.TemporaryDirectory(prefix="evidence-bench-") as folder:
        files: dict[str, str] = {}
        for key, data in (("pdf10", _pdf_of(10, seed)), ("pdf20", _pdf_of(19, seed + 1))):
            files[key] = os.path.join(folder, f"{key}.pdf")
            with open(files[key], "wb") as out:
                out.write(data)
        photo, pixels = _photo_of(5, seed)
        files["photo"] = os.path.join(folder, "photo.jpg")
        with open(files["photo"], "wb") as out:
            out.write(photo)
        sizes = {key: os.path.getsize(path) / MIB for key, path in files.items()}
        stderr(
            "evidence: files of "
            + ", ".join(f"{key} {size:.1f} MiB" for key, size in sizes.items())
            + f"; photo {pixels[0]}×{pixels[1]}"
        )
        up = {key: _measured(_upload, path, repeat=repeat) for key, path in files.items()}
        plain = {key: _measured(_plain_copy, files[key], repeat=repeat) for key in ("pdf10", "photo")}
        stored = {}
        for key, content_type in (
            ("pdf10", "application/pdf"),
            ("pdf20", "application/pdf"),
            ("photo", "image/jpeg"),
        ):
            with open(files[key], "rb") as source:
                stored[key] = (storages["evidence"].save(f"bench/{key}", source), content_type)
        down = {key: _measured(_download, *stored[key], repeat=repeat) for key in stored}
        read = {key: _measured(_plain_read, stored[key][0], repeat=repeat) for key in ("pdf10", "photo")}
        for name, _ in stored.values():
            storages["evidence"].delete(name)
    pdf, big, jpg = (
        f"{sizes['pdf10']:.1f} MiB PDF",
        f"{sizes['pdf20']:.1f} MiB PDF",
        f"{sizes['photo']:.1f} MiB photo",
    )
    bitmap = pixels[0] * pixels[1] * 3 / MIB
    found = [
        Measurement(
            f"evidence: upload of a {pdf}, time",
            up["pdf10"][0],
            "s",
            plain["pdf10"][0],
            "plain copy into the storage",
            note="type by content, byte scan, pypdf structure check, SHA-256, save",
        ),
        Measurement(
            f"evidence: upload of a {pdf}, peak memory growth",
            up["pdf10"][1],
            "MiB",
            up["pdf20"][1],
            f"the same for a {big}",
            note="goal: ratio about 1 (the file is streamed; up to 4 MiB spooled in memory)",
        ),
        Measurement(
            f"evidence: download of a {pdf}, time",
            down["pdf10"][0],
            "s",
            read["pdf10"][0],
            "plain read of the stored file",
        ),
        Measurement(
            f"evidence: download of a {pdf}, peak memory growth",
            down["pdf10"][1],
            "MiB",
            down["pdf20"][1],
            f"the same for a {big}",
            note="goal: ratio about 1 (FileResponse streams in blocks)",
        ),
        Measurement(
            f"evidence: upload of a {jpg}, time",
            up["photo"][0],
            "s",
            plain["photo"][0],
            "plain copy into the storage",
            note=f"decoded, EXIF read, re-encoded as JPEG q90; {pixels[0]}×{pixels[1]} pixels",
        ),
        Measurement(
            f"evidence: upload of a {jpg}, peak memory growth",
            up["photo"][1],
            "MiB",
            bitmap,
            "its decoded bitmap (w×h×3)",
            note="an image is re-encoded whole: memory follows its pixels, not its bytes",
        ),
        Measurement(
            f"evidence: download of a {jpg}, time",
            down["photo"][0],
            "s",
            read["photo"][0],
            "plain read of the stored file",
        ),
        Measurement(
            f"evidence: download of a {jpg}, peak memory growth", down["photo"][1], "MiB", note="streamed"
        ),
    ]
    details = {
        "sizes_mib": sizes,
        "photo_pixels": list(pixels),
        "upload": up,
        "download": down,
        "plain_copy": plain,
        "plain_read": read,
    }
    return found, details
