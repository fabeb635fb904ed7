import { htmlSections, markdownSections, textSections } from './extract-sections';

describe('markdownSections', () => {
  it('tracks the heading path by level and reduces inline markup to text', () => {
    const sections = markdownSections(
      [
        'Intro line',
        '# Guide',
        '## Install',
        'Run **npm** `install` with [the docs](https://x).',
        '- first step',
        '',
        '### Linux',
        'Use apt.',
        '## Usage',
        '```',
        '# not a heading',
        '```',
      ].join('\n'),
    );
    expect(sections).toEqual([
      { path: [], paragraphs: ['Intro line'] },
      { path: ['Guide', 'Install'], paragraphs: ['Run npm install with the docs. first step'] },
      { path: ['Guide', 'Install', 'Linux'], paragraphs: ['Use apt.'] },
      { path: ['Guide', 'Usage'], paragraphs: ['# not a heading'] },
    ]);
  });

  it('joins wrapped Chinese lines without a space', () => {
    expect(markdownSections('谷爱凌是中国\n自由式滑雪运动员。')).toEqual([
      { path: [], paragraphs: ['谷爱凌是中国自由式滑雪运动员。'] },
    ]);
  });
});

describe('textSections and htmlSections', () => {
  it('splits plain text on blank lines', () => {
    expect(textSections('one\ntwo\n\n\nthree')).toEqual([{ path: [], paragraphs: ['one two', 'three'] }]);
  });

  it('keeps list items and table cells as paragraphs and decodes entities', () => {
    const html = '<h1>A &amp; B</h1><ul><li>x</li><li>y</li></ul><table><tr><td>cell</td></tr></table>';
    expect(htmlSections(html)).toEqual([{ path: ['A & B'], paragraphs: ['x', 'y', 'cell'] }]);
  });
});
