from pressroom.releases.html import body_html, strip_list_marker
from pressroom.wire.model import Block, BlockKind


def test_each_block_kind_becomes_its_element():
    html = body_html(
        [
            Block(BlockKind.PARAGRAPH, text="Sample paragraph."),
            Block(BlockKind.LINES, lines=("First line", "Second line")),
            Block(BlockKind.LIST, lines=("- apples", "- pears")),
            Block(BlockKind.TABLE, rows=(("Tender date", "September 8, 2020"),)),
            Block(BlockKind.RULE, text="-" * 57),
            Block(BlockKind.HEADING, text="Sample heading"),
        ]
    )
    assert html == (
        "<p>Sample paragraph.</p>\n"
        "<p>First line<br>Second line</p>\n"
        "<ul><li>apples</li><li>pears</li></ul>\n"
        "<table><tbody><tr><td>Tender date</td><td>September 8, 2020</td></tr></tbody></table>\n"
        "<hr>\n"
        "<h2>Sample heading</h2>"
    )


def test_every_piece_of_text_is_escaped():
    attack = '<script>alert("x")</script> & more'
    html = body_html(
        [
            Block(BlockKind.PARAGRAPH, text=attack),
            Block(BlockKind.LINES, lines=(attack,)),
            Block(BlockKind.LIST, lines=("- " + attack,)),
            Block(BlockKind.TABLE, rows=((attack, attack),)),
            Block(BlockKind.HEADING, text=attack),
        ]
    )
    assert "<script>" not in html
    assert html.count("&lt;script&gt;") == 6
    assert "&amp; more" in html


def test_stored_dicts_are_accepted_as_well_as_blocks():
    stored = [Block(BlockKind.PARAGRAPH, text="Stored.").to_dict()]
    assert body_html(stored) == "<p>Stored.</p>"


def test_ordered_lists_keep_their_starting_number():
    html = body_html([Block(BlockKind.LIST, lines=("3. third", "4. fourth"), ordered=True)])
    assert html == '<ol start="3"><li>third</li><li>fourth</li></ol>'
    html = body_html([Block(BlockKind.LIST, lines=("(1) one", "(2) two"), ordered=True)])
    assert html == "<ol><li>one</li><li>two</li></ol>"


def test_list_markers_are_stripped_but_text_that_looks_numeric_is_kept():
    assert strip_list_marker("* starred") == "starred"
    assert strip_list_marker("1、項目") == "項目"
    assert strip_list_marker("（2）項目") == "項目"
    assert strip_list_marker("1.5 million visitors") == "1.5 million visitors"
    assert strip_list_marker("-not a bullet") == "-not a bullet"


def test_a_table_without_cells_shows_its_lines_as_rows():
    html = body_html([Block(BlockKind.TABLE, lines=("Name    Date", "Sample  May 1"))])
    assert html.count("<tr>") == 2
    assert "<td>Name    Date</td>" in html
