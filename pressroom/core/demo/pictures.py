"""Photos for the sample releases, drawn with Pillow when the demo loads.

Drawing them keeps binary files out of the repository and keeps every picture ours: simple
text-free scenes (a harbour, hills, a stage, a street, shelves, a market, a track), varied by a
seed so two photos of one release differ.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1200, 800
Colour = tuple[int, int, int]


def _mix(a: Colour, b: Colour, share: float) -> Colour:
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b))


def _sky(draw: ImageDraw.ImageDraw, top: Colour, bottom: Colour, height: int) -> None:
    for y in range(height):
        draw.line([(0, y), (WIDTH, y)], fill=_mix(top, bottom, y / max(1, height - 1)))


def _skyline(draw, rng: random.Random, base: int, colour: Colour, window: Colour) -> None:
    x = 0
    while x < WIDTH:
        width = rng.randint(50, 120)
        height = rng.randint(120, 360)
        draw.rectangle([x, base - height, x + width, base], fill=colour)
        for wy in range(base - height + 14, base - 10, 22):
            for wx in range(x + 8, x + width - 12, 18):
                if rng.random() < 0.55:
                    draw.rectangle([wx, wy, wx + 8, wy + 10], fill=window)
        x += width + rng.randint(0, 14)


def harbour(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    dusk = rng.random() < 0.5
    _sky(
        draw,
        (40, 60, 120) if dusk else (90, 160, 225),
        (250, 170, 110) if dusk else (200, 230, 250),
        480,
    )
    sun_x = rng.randint(150, 1050)
    draw.ellipse([sun_x - 60, 300, sun_x + 60, 420], fill=(255, 210, 120))
    _skyline(draw, rng, 480, (35, 45, 70), (255, 225, 140) if dusk else (170, 200, 225))
    for y in range(480, HEIGHT):
        draw.line([(0, y), (WIDTH, y)], fill=_mix((30, 80, 130), (15, 40, 80), (y - 480) / 320))
    for _ in range(70):
        x, y = rng.randint(0, WIDTH), rng.randint(490, HEIGHT)
        draw.line([(x, y), (x + rng.randint(20, 70), y)], fill=(120, 170, 210), width=2)
    for _ in range(rng.randint(1, 3)):
        x, y = rng.randint(80, 1000), rng.randint(560, 720)
        draw.polygon(
            [(x, y), (x + 160, y), (x + 135, y + 34), (x + 25, y + 34)], fill=(230, 230, 230)
        )
        draw.rectangle([x + 50, y - 30, x + 110, y], fill=(200, 60, 50))
    return image


def hills(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (120, 180, 235), (225, 240, 250), HEIGHT)
    for layer, colour in enumerate([(120, 160, 120), (80, 140, 90), (50, 110, 60)]):
        base = 380 + layer * 130
        points = [(0, HEIGHT)]
        for x in range(0, WIDTH + 100, 100):
            points.append((x, base - rng.randint(0, 140)))
        points.append((WIDTH, HEIGHT))
        draw.polygon(points, fill=colour)
    draw.polygon([(520, HEIGHT), (600, 560), (640, 560), (760, HEIGHT)], fill=(200, 180, 140))
    for _ in range(28):
        x, y = rng.randint(0, WIDTH), rng.randint(560, 780)
        size = rng.randint(25, 60)
        draw.rectangle([x - 5, y, x + 5, y + size // 2], fill=(100, 70, 40))
        draw.polygon(
            [(x, y - size), (x - size // 2, y + 5), (x + size // 2, y + 5)], fill=(30, 90, 40)
        )
    return image


def _figure(draw, x: int, y: int, scale: float, colour: Colour) -> None:
    head = 22 * scale
    draw.ellipse([x - head, y - 4 * head, x + head, y - 2 * head], fill=(230, 190, 160))
    draw.rounded_rectangle(
        [x - 1.6 * head, y - 2 * head, x + 1.6 * head, y + 2 * head], radius=10, fill=colour
    )


def stage(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), (150, 30, 45))
    draw = ImageDraw.Draw(image)
    for x in range(0, WIDTH, 60):
        draw.rectangle([x, 0, x + 28, 520], fill=(130, 20, 35))
    draw.rectangle([0, 520, WIDTH, HEIGHT], fill=(90, 60, 40))
    draw.rectangle([240, 140, 960, 420], fill=(30, 70, 140))
    draw.ellipse([520, 190, 680, 350], outline=(240, 200, 80), width=12)
    for index in range(rng.randint(4, 6)):
        x = 200 + index * 170
        _figure(draw, x, 600, 1.2, rng.choice([(40, 40, 60), (60, 70, 110), (90, 90, 90)]))
    draw.rectangle([120, 585, 1080, 600], fill=(220, 40, 40))
    return image


def street(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (150, 200, 240), (230, 240, 250), 500)
    _skyline(draw, rng, 500, (160, 150, 140), (90, 110, 140))
    draw.rectangle([0, 500, WIDTH, HEIGHT], fill=(70, 70, 75))
    for x in range(0, WIDTH, 120):
        draw.rectangle([x, 640, x + 60, 650], fill=(240, 240, 240))
    for rail in (700, 730):
        draw.line([(0, rail), (WIDTH, rail)], fill=(160, 160, 160), width=4)
    x = rng.randint(200, 600)
    draw.rounded_rectangle([x, 430, x + 420, 700], radius=24, fill=(20, 110, 60))
    for wx in range(x + 25, x + 400, 75):
        draw.rectangle([wx, 460, wx + 50, 540], fill=(200, 225, 240))
    draw.line([(x + 210, 430), (x + 210, 330)], fill=(40, 40, 40), width=4)
    draw.line([(0, 330), (WIDTH, 330)], fill=(40, 40, 40), width=2)
    return image


def shelves(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), (235, 225, 205))
    draw = ImageDraw.Draw(image)
    palette = [
        (180, 50, 50),
        (40, 90, 160),
        (60, 140, 90),
        (220, 170, 60),
        (120, 70, 140),
        (30, 30, 30),
    ]
    for shelf_y in range(60, HEIGHT, 180):
        x = 40
        while x < WIDTH - 60:
            width = rng.randint(18, 42)
            height = rng.randint(110, 160)
            draw.rectangle(
                [x, shelf_y + 160 - height, x + width, shelf_y + 160], fill=rng.choice(palette)
            )
            x += width + rng.randint(1, 4)
        draw.rectangle([20, shelf_y + 160, WIDTH - 20, shelf_y + 175], fill=(120, 80, 45))
    return image


def market(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (110, 170, 230), (240, 230, 210), 360)
    draw.rectangle([0, 360, WIDTH, HEIGHT], fill=(190, 180, 160))
    for index in range(4):
        x = 30 + index * 295
        stripe = rng.choice([(210, 50, 50), (40, 120, 190), (240, 170, 40), (60, 150, 80)])
        for sx in range(x, x + 270, 45):
            draw.polygon(
                [(sx, 250), (sx + 45, 250), (sx + 45, 330), (sx, 330)],
                fill=stripe if (sx - x) // 45 % 2 == 0 else (245, 245, 245),
            )
        draw.rectangle([x + 10, 480, x + 260, 620], fill=(140, 95, 55))
        for _ in range(30):
            fx, fy = rng.randint(x + 20, x + 250), rng.randint(440, 490)
            draw.ellipse(
                [fx - 14, fy - 14, fx + 14, fy + 14],
                fill=rng.choice([(230, 120, 30), (200, 30, 40), (240, 220, 60), (90, 160, 60)]),
            )
        draw.line([(x + 5, 250), (x + 5, 620)], fill=(90, 90, 90), width=6)
        draw.line([(x + 265, 250), (x + 265, 620)], fill=(90, 90, 90), width=6)
    return image


def track(rng: random.Random) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    _sky(draw, (100, 170, 235), (215, 235, 250), 300)
    draw.rectangle([0, 300, WIDTH, 420], fill=(70, 150, 70))
    draw.rectangle([0, 420, WIDTH, HEIGHT], fill=(190, 80, 60))
    for lane in range(420, HEIGHT, 75):
        draw.line([(0, lane), (WIDTH, lane)], fill=(245, 245, 245), width=4)
    for index in range(rng.randint(3, 5)):
        x = rng.randint(100, 1100)
        y = 480 + index * 75
        colour = rng.choice([(30, 60, 160), (230, 200, 40), (20, 20, 20), (240, 240, 240)])
        draw.ellipse([x - 26, y - 26, x + 26, y + 26], outline=(30, 30, 30), width=6)
        draw.ellipse([x + 54, y - 26, x + 106, y + 26], outline=(30, 30, 30), width=6)
        draw.line([(x, y), (x + 40, y - 40), (x + 80, y)], fill=colour, width=8)
        _figure(draw, x + 40, y - 50, 0.6, colour)
    return image


SCENES: dict[str, Callable[[random.Random], Image.Image]] = {
    "harbour": harbour,
    "hills": hills,
    "stage": stage,
    "street": street,
    "shelves": shelves,
    "market": market,
    "track": track,
}


def draw_photo(scene: str, seed: int) -> bytes:
    """A 1200x800 JPEG of one scene; the same scene and seed always give the same picture."""
    image = SCENES[scene](random.Random(seed))
    # A touch of blur takes the hard edges off, so it reads as a photo rather than a diagram.
    image = image.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()
