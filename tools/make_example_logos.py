"""Draw the placeholder logos of the example content (examples/logos/*.png).

The seed announcement came without artwork, so the example uses plain typographic
marks drawn here rather than the real French Tech logos. Run from the repository root:
``python tools/make_example_logos.py``.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path("assets/fonts/InterDisplay-Bold.otf")
OUT = Path("examples/logos")
SIZE = 480

LOGOS = {
    "french-tech-hauts-de-france": ("FT", "HAUTS-DE-FRANCE", (225, 0, 15)),
    "french-tech-lille": ("FT", "LILLE", (225, 0, 15)),
    "french-tech-grand-hainaut": ("FT", "GRAND HAINAUT", (0, 84, 147)),
    "french-tech-artois": ("FT", "ARTOIS", (0, 120, 110)),
    "french-tech-littoral": ("FT", "LITTORAL", (0, 104, 170)),
    "french-tech-hauts-de-france-sud": ("FT", "HDF SUD", (120, 60, 150)),
}


def draw(initials: str, caption: str, colour: tuple[int, int, int]) -> Image.Image:
    image = Image.new("RGB", (SIZE, SIZE), "white")
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((16, 16, SIZE - 16, SIZE - 16), radius=72, fill=colour)
    big = ImageFont.truetype(str(FONT), 200)
    pen.text((SIZE / 2, SIZE * 0.42), initials, font=big, fill="white", anchor="mm")
    size = 56
    small = ImageFont.truetype(str(FONT), size)
    while pen.textlength(caption, font=small) > SIZE - 90:
        size -= 2
        small = ImageFont.truetype(str(FONT), size)
    pen.text((SIZE / 2, SIZE * 0.76), caption, font=small, fill="white", anchor="mm")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (initials, caption, colour) in LOGOS.items():
        draw(initials, caption, colour).save(OUT / f"{name}.png", optimize=True)


if __name__ == "__main__":
    main()
