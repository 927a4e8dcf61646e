// A 3×5 pixel font drawn for strata's plots: digits, letters (one case), and the
// punctuation that axis labels and metric names use. Each glyph is five rows of three
// cells, '#' for ink.
const GLYPHS: Record<string, string> = {
  '0': '### #.# #.# #.# ###', '1': '.#. ##. .#. .#. ###', '2': '### ..# ### #.. ###',
  '3': '### ..# .## ..# ###', '4': '#.# #.# ### ..# ..#', '5': '### #.. ### ..# ###',
  '6': '### #.. ### #.# ###', '7': '### ..# ..# .#. .#.', '8': '### #.# ### #.# ###',
  '9': '### #.# ### ..# ###',
  A: '.#. #.# ### #.# #.#', B: '##. #.# ##. #.# ##.', C: '.## #.. #.. #.. .##',
  D: '##. #.# #.# #.# ##.', E: '### #.. ##. #.. ###', F: '### #.. ##. #.. #..',
  G: '.## #.. #.# #.# .##', H: '#.# #.# ### #.# #.#', I: '### .#. .#. .#. ###',
  J: '..# ..# ..# #.# .#.', K: '#.# #.# ##. #.# #.#', L: '#.. #.. #.. #.. ###',
  M: '#.# ### ### #.# #.#', N: '##. #.# #.# #.# #.#', O: '.#. #.# #.# #.# .#.',
  P: '##. #.# ##. #.. #..', Q: '.#. #.# #.# ##. .##', R: '##. #.# ##. #.# #.#',
  S: '.## #.. .#. ..# ##.', T: '### .#. .#. .#. .#.', U: '#.# #.# #.# #.# ###',
  V: '#.# #.# #.# #.# .#.', W: '#.# #.# ### ### #.#', X: '#.# #.# .#. #.# #.#',
  Y: '#.# #.# .#. .#. .#.', Z: '### ..# .#. #.. ###',
  '.': '... ... ... ... .#.', '-': '... ... ### ... ...', _: '... ... ... ... ###',
  ':': '... .#. ... .#. ...', '%': '#.# ..# .#. #.. #.#', '/': '..# ..# .#. #.. #..',
  '(': '.#. #.. #.. #.. .#.', ')': '.#. ..# ..# ..# .#.', '=': '... ### ... ### ...',
  ',': '... ... ... .#. #..', '+': '... .#. ### .#. ...', '?': '### ..# .#. ... .#.',
  ' ': '... ... ... ... ...', '[': '##. #.. #.. #.. ##.', ']': '.## ..# ..# ..# .##',
  '<': '..# .#. #.. .#. ..#', '>': '#.. .#. ..# .#. #..', "'": '.#. .#. ... ... ...',
  '×': '... #.# .#. #.# ...', '|': '.#. .#. .#. .#. .#.', 'ε': '.## #.. ##. #.. .##', '#': '#.# ### #.# ### #.#', '!': '.#. .#. .#. ... .#.',
};

/** Glyph cell width and height in font pixels (3×5), plus one column of spacing. */
export const GLYPH_WIDTH = 3;
export const GLYPH_HEIGHT = 5;

/** The ink cells of a character's glyph as [column, row] pairs; unknown characters draw as '?'. */
export function glyph(ch: string): Array<[number, number]> {
  const g = GLYPHS[ch] ?? GLYPHS[ch.toUpperCase()] ?? GLYPHS['?']!;
  const cells: Array<[number, number]> = [];
  g.split(' ').forEach((row, r) => [...row].forEach((c, col) => c === '#' && cells.push([col, r])));
  return cells;
}

/** Width in pixels of `text` drawn at `scale`. */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * (GLYPH_WIDTH + 1) - 1) * scale;
}
