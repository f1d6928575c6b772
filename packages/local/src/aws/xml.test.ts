import { describe, expect, it } from 'vitest';
import { parseXml, serializeXml, text } from './xml.js';

// The tree the layer patches AWS answers in: what parsing keeps and what serializing writes back.
describe('the XML tree of AWS answers', () => {
  it('keeps elements, attributes and whitespace; decodes XML entities and CDATA; drops comments and declarations', () => {
    const root = parseXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><R xmlns="http://x/" a="1 &amp; &#65; &lt;">\n' +
        '  <A>x &amp; y &#x41;&#66; &quot;q&quot; &apos; &nbsp;</A>\n  <B/><C>007</C><D><![CDATA[<raw>&amp;]]>tail</D>\n</R>\n',
    );
    expect(root.name).toBe('R');
    expect(root.attributes).toEqual({ xmlns: 'http://x/', a: '1 & A <' });
    const [a, b, c, d] = root.children.filter((n) => typeof n !== 'string');
    expect(text(a)).toBe('x & y AB "q" \' &nbsp;');
    expect(b).toEqual({ name: 'B', attributes: {}, children: [] });
    expect(text(c)).toBe('007');
    expect(text(d)).toBe('<raw>&amp;tail');
    expect(serializeXml(root)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><R xmlns="http://x/" a="1 &amp; A &lt;">\n' +
        "  <A>x &amp; y AB &quot;q&quot; ' &amp;nbsp;</A>\n  <B/><C>007</C><D>&lt;raw&gt;&amp;amp;tail</D>\n</R>",
    );
  });

  it('refuses what is not one well-formed document', () => {
    for (const bad of ['<a><b></a>', '<a/><b/>', 'text<a/>', '<a>', '']) {
      expect(() => parseXml(bad), bad).toThrow();
    }
  });
});
