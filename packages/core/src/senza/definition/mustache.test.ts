import { describe, expect, it } from 'vitest';
import { pythonRepr, pythonStr } from '../../io/python-values.js';
import { escapeHtml, MustacheError, mustacheNames, renderMustache } from './mustache.js';

// Expected outputs were produced by pystache 0.6.0: pystache.Renderer(missing_tags='strict').render(t, ctx).

const ctx = {
  Arguments: {
    version: '1',
    region: 'eu-central-1',
    ImageVersion: '1.0',
    X: 'a&b"<c>\'/`=',
    N: 5,
    F: 1.5,
    T: true,
    Fa: false,
    Z: 0,
    E: '',
    L: ['a', 'b'],
    D: { k: 'v' },
    None: null,
    Nested: { a: { b: 'deep' } },
    Items: [{ name: 'x' }, { name: 'y' }],
    Q: "it's",
  },
  AccountInfo: { Region: 'eu-central-1', TeamID: 'team' },
  name: 'top',
};

function errorOf(f: () => unknown): MustacheError {
  try {
    f();
  } catch (e) {
    if (e instanceof MustacheError) return e;
    throw e;
  }
  throw new Error('expected a MustacheError');
}

describe('renderMustache: variables', () => {
  it('renders dotted names, with or without spaces inside the tag', () => {
    expect(renderMustache('{{Arguments.version}}', ctx)).toBe('1');
    expect(renderMustache('{{ Arguments.version }}', ctx)).toBe('1');
    expect(renderMustache('{{  name  }}{{name}}', ctx)).toBe('toptop');
    expect(renderMustache('mintbucket-{{AccountInfo.TeamID}}-{{AccountInfo.Region}}', ctx)).toBe(
      'mintbucket-team-eu-central-1',
    );
    expect(renderMustache('{{Arguments.Nested.a.b}}', ctx)).toBe('deep');
    expect(renderMustache('{{Arguments.D.k}}', ctx)).toBe('v');
  });

  it('escapes exactly & < > " \' (not / ` =)', () => {
    expect(renderMustache('{{Arguments.X}}', ctx)).toBe('a&amp;b&quot;&lt;c&gt;&#x27;/`=');
  });

  it('does not escape triple mustaches and & tags', () => {
    expect(renderMustache('{{{Arguments.X}}}', ctx)).toBe('a&b"<c>\'/`=');
    expect(renderMustache('{{& Arguments.X}}', ctx)).toBe('a&b"<c>\'/`=');
    expect(renderMustache('{{&Arguments.X}}', ctx)).toBe('a&b"<c>\'/`=');
    expect(renderMustache('{{{ Arguments.X }}}', ctx)).toBe('a&b"<c>\'/`=');
  });

  it('escapes twice when rendered twice, like the two template passes', () => {
    const once = renderMustache('tmpl-{{Arguments.P}}', { Arguments: { P: 'a&b"<c>' } });
    expect(once).toBe('tmpl-a&amp;b&quot;&lt;c&gt;');
    expect(renderMustache('{{SenzaInfo.StackName}}', { SenzaInfo: { StackName: once } })).toBe(
      'tmpl-a&amp;amp;b&amp;quot;&amp;lt;c&amp;gt;',
    );
  });

  it('converts values with Python str()', () => {
    const t =
      '{{Arguments.N}} {{Arguments.F}} {{Arguments.T}} {{Arguments.Fa}} {{Arguments.None}} {{Arguments.L}} {{Arguments.D}} {{Arguments.Z}}';
    expect(renderMustache(t, ctx)).toBe(
      '5 1.5 True False None [&#x27;a&#x27;, &#x27;b&#x27;] {&#x27;k&#x27;: &#x27;v&#x27;} 0',
    );
    expect(renderMustache('{{{Arguments.L}}}', ctx)).toBe("['a', 'b']");
    expect(renderMustache('{{Arguments.Q}}', ctx)).toBe('it&#x27;s');
  });

  it('leaves text without tags alone, including single braces', () => {
    expect(renderMustache('plain { text } here', ctx)).toBe('plain { text } here');
    expect(renderMustache('', ctx)).toBe('');
  });

  it('keeps the surrounding YAML quoting intact', () => {
    expect(renderMustache("Key: '{{{Arguments.version}}}'\nOther: x\n", ctx)).toBe("Key: '1'\nOther: x\n");
  });
});

describe('renderMustache: strict missing keys', () => {
  it('names the missing part like pystache', () => {
    const e = errorOf(() => renderMustache('{{Arguments.Nope}}', ctx));
    expect(e.message).toBe("Key 'Arguments.Nope' not found: missing 'Nope'");
    expect(e.key).toBe('Arguments.Nope');
    expect(e.kind).toBe('missing-key');
    expect(e.name).toBe('MustacheError');
  });

  it('says "first part" when the first part is unknown', () => {
    const e = errorOf(() => renderMustache('x {{Nope}} y', ctx));
    expect(e.message).toBe("Key 'Nope' not found: first part");
    expect(e.key).toBe('Nope');
    expect(errorOf(() => renderMustache('{{Nope.x}}', ctx)).message).toBe("Key 'Nope.x' not found: first part");
  });

  it('does not look further parts up in non-dicts', () => {
    expect(errorOf(() => renderMustache('{{Arguments.version.x}}', ctx)).message).toBe(
      "Key 'Arguments.version.x' not found: missing 'x'",
    );
    expect(errorOf(() => renderMustache('{{Arguments.L.0}}', ctx)).message).toBe(
      "Key 'Arguments.L.0' not found: missing '0'",
    );
    expect(errorOf(() => renderMustache('{{Arguments.Nested.a.c}}', ctx)).message).toBe(
      "Key 'Arguments.Nested.a.c' not found: missing 'c'",
    );
  });

  it('errors for unknown section names too', () => {
    expect(errorOf(() => renderMustache('{{#Nope}}x{{/Nope}}', ctx)).message).toBe("Key 'Nope' not found: first part");
    expect(errorOf(() => renderMustache('{{^Arguments.Nope}}x{{/Arguments.Nope}}', ctx)).message).toBe(
      "Key 'Arguments.Nope' not found: missing 'Nope'",
    );
  });

  it('uses Python repr quoting for names containing quotes', () => {
    expect(errorOf(() => renderMustache('Key: \'{{ {"Ref": "X"} }}\'', ctx)).message).toBe(
      'Key \'"Ref": "X"\' not found: first part',
    );
    expect(errorOf(() => renderMustache("{{it's}}", ctx)).message).toBe('Key "it\'s" not found: first part');
  });

  it('treats undefined and inherited properties as missing', () => {
    expect(() => renderMustache('{{a}}', { a: undefined })).toThrow(MustacheError);
    expect(() => renderMustache('{{toString}}', {})).toThrow("Key 'toString' not found: first part");
  });

  it('does not hide lookup errors of nested tags behind sections', () => {
    expect(() => renderMustache('{{#Arguments.T}}{{Nope}}{{/Arguments.T}}', ctx)).toThrow(
      "Key 'Nope' not found: first part",
    );
    // A falsy section is not rendered, so its unknown names are not looked up.
    expect(renderMustache('{{#Arguments.Fa}}{{Nope}}{{/Arguments.Fa}}ok', ctx)).toBe('ok');
  });
});

describe('renderMustache: sections', () => {
  it('iterates lists, pushing each item', () => {
    expect(renderMustache('{{#Arguments.L}}<{{.}}>{{/Arguments.L}}', ctx)).toBe('<a><b>');
    expect(renderMustache('{{#Arguments.Items}}{{name}},{{/Arguments.Items}}', ctx)).toBe('x,y,');
    expect(renderMustache('{{#Arguments.Items}}{{name}}-{{Arguments.region}};{{/Arguments.Items}}', ctx)).toBe(
      'x-eu-central-1;y-eu-central-1;',
    );
    expect(renderMustache('{{#Arguments.L}}{{Arguments.region}}{{/Arguments.L}}', ctx)).toBe(
      'eu-central-1eu-central-1',
    );
  });

  it('pushes truthy objects and scalars once', () => {
    expect(renderMustache('{{#Arguments.D}}{{k}}{{/Arguments.D}}', ctx)).toBe('v');
    expect(renderMustache('{{#Arguments.Nested}}{{a.b}}{{/Arguments.Nested}}', ctx)).toBe('deep');
    expect(renderMustache('{{#Arguments.T}}yes {{name}}{{/Arguments.T}}', ctx)).toBe('yes top');
    expect(renderMustache('{{#Arguments.N}}[{{.}}]{{/Arguments.N}}', ctx)).toBe('[5]');
    expect(renderMustache('{{#Arguments.Items}}{{#name}}{{.}}{{/name}}{{/Arguments.Items}}', ctx)).toBe('xy');
  });

  it('skips falsy values with Python truthiness and renders inverted sections for them', () => {
    expect(renderMustache('{{#Arguments.E}}x{{/Arguments.E}}|{{^Arguments.E}}empty{{/Arguments.E}}', ctx)).toBe(
      '|empty',
    );
    expect(renderMustache('{{#Arguments.Z}}x{{/Arguments.Z}}{{^Arguments.Z}}zero{{/Arguments.Z}}', ctx)).toBe('zero');
    expect(
      renderMustache('{{#Arguments.None}}x{{/Arguments.None}}{{^Arguments.None}}none{{/Arguments.None}}', ctx),
    ).toBe('none');
    expect(renderMustache('{{#a}}x{{/a}}{{^a}}empty list{{/a}}', { a: [] })).toBe('empty list');
    expect(renderMustache('{{#a}}x{{/a}}{{^a}}empty dict{{/a}}', { a: {} })).toBe('empty dict');
    expect(renderMustache('{{^Arguments.L}}none{{/Arguments.L}}', ctx)).toBe('');
  });

  it('nests sections', () => {
    expect(renderMustache('{{#Arguments.T}}{{#Arguments.L}}{{.}}{{/Arguments.L}}{{/Arguments.T}}', ctx)).toBe('ab');
  });

  it('rejects mismatched, stray and unclosed section tags', () => {
    expect(errorOf(() => renderMustache('{{#Arguments.T}}x{{/Arguments.Fa}}', ctx)).message).toBe(
      'Section end tag mismatch: Arguments.Fa != Arguments.T',
    );
    expect(errorOf(() => renderMustache('x{{/a}}', ctx)).message).toBe('Section end tag without a start: a');
    const e = errorOf(() => renderMustache('{{#Arguments.T}}x', ctx));
    expect(e.message).toBe('Unclosed section: Arguments.T (no {{/Arguments.T}})');
    expect(e.key).toBe('Arguments.T');
    expect(e.kind).toBe('syntax');
  });
});

describe('renderMustache: standalone lines, comments, delimiters', () => {
  it('removes standalone section tags with their line', () => {
    expect(renderMustache('a\n{{#Arguments.T}}\nline\n{{/Arguments.T}}\nb\n', ctx)).toBe('a\nline\nb\n');
    expect(renderMustache('a\n  {{#Arguments.T}}\n  line\n  {{/Arguments.T}}\nb', ctx)).toBe('a\n  line\nb');
    expect(renderMustache('begin\n{{#Arguments.L}}\n- {{.}}\n{{/Arguments.L}}\nend\n', ctx)).toBe(
      'begin\n- a\n- b\nend\n',
    );
    expect(renderMustache('|\n{{^Arguments.L}}\nnone\n{{/Arguments.L}}\n|', ctx)).toBe('|\n|');
    expect(renderMustache('{{#Arguments.T}}\n{{name}}\n{{/Arguments.T}}', ctx)).toBe('top\n');
  });

  it('removes standalone comments, also with CRLF', () => {
    expect(renderMustache('  {{! c }}\r\nb', ctx)).toBe('b');
    expect(renderMustache('{{!multi\nline\ncomment}}\nnext', ctx)).toBe('next');
  });

  it('keeps tags that share their line with text, and (like pystache) with trailing spaces', () => {
    expect(renderMustache('x {{#Arguments.T}}\ny\n {{/Arguments.T}} z', ctx)).toBe('x \ny\n  z');
    expect(renderMustache('a\n  {{! c }}  \nb', ctx)).toBe('a\n    \nb');
    expect(renderMustache('  {{Arguments.version}}\n', ctx)).toBe('  1\n');
  });

  it('drops comments', () => {
    expect(renderMustache('{{! comment }}a{{!x}}b', ctx)).toBe('ab');
  });

  it('changes delimiters', () => {
    expect(renderMustache('{{=<% %>=}}<% Arguments.version %> {{x}}', ctx)).toBe('1 {{x}}');
    expect(renderMustache('{{=<% %>=}}<%={{ }}=%>{{Arguments.region}}', ctx)).toBe('eu-central-1');
    expect(renderMustache('\t{{=| |=}}\n|Arguments.version|', ctx)).toBe('1');
    expect(renderMustache('{{=[[ ]]=}}[[#Arguments.L]][[.]][[/Arguments.L]] {{ignored}}', ctx)).toBe('ab {{ignored}}');
    expect(renderMustache('{{=<% %>=}}\n<%#Arguments.T%>\nok\n<%/Arguments.T%>\n', ctx)).toBe('ok\n');
    expect(renderMustache('{{=<% %>=}}<%{Arguments.X}%>', ctx)).toBe('a&b"<c>\'/`=');
  });

  it('supports the postgresapp trick: a later pass renders what an earlier pass produced', () => {
    const pass1 = renderMustache('{{=<% %>=}}x: {{Arguments.version}} <%AccountInfo.TeamID%>', ctx);
    expect(pass1).toBe('x: {{Arguments.version}} team');
    expect(renderMustache(pass1, ctx)).toBe('x: 1 team');
  });

  it('rejects bad delimiter changes, partials, empty and unclosed tags', () => {
    expect(() => renderMustache('{{=<%=}}', ctx)).toThrow(/Invalid delimiter change/);
    expect(errorOf(() => renderMustache('{{> part}}', ctx)).message).toBe('Partials are not supported: "{{> part}}"');
    expect(() => renderMustache('{{ }}', ctx)).toThrow(/Empty tag/);
    const e = errorOf(() => renderMustache('a {{Arguments.version', ctx));
    expect(e.message).toBe('Unclosed tag "{{Arguments.version": missing "}}"');
    expect(() => renderMustache('{{{Arguments.X}}', ctx)).toThrow(MustacheError);
  });
});

describe('mustacheNames', () => {
  it('lists every variable and section name once, in order', () => {
    const t =
      'a {{AccountInfo.TeamID}} {{{Arguments.X}}} {{#SenzaInfo.Tags}}{{.}}{{Name}}{{/SenzaInfo.Tags}}{{^Arguments.E}}{{AccountInfo.TeamID}}{{/Arguments.E}}{{! AccountInfo.Comment }}';
    expect(mustacheNames(t)).toEqual(['AccountInfo.TeamID', 'Arguments.X', 'SenzaInfo.Tags', 'Name', 'Arguments.E']);
  });

  it('respects delimiter changes', () => {
    expect(mustacheNames('{{=<% %>=}}{{Arguments.version}} <%AccountInfo.Domain%>')).toEqual(['AccountInfo.Domain']);
  });

  it('returns nothing for text without tags and throws on malformed templates', () => {
    expect(mustacheNames('no tags')).toEqual([]);
    expect(() => mustacheNames('{{#a}}')).toThrow(MustacheError);
  });
});

describe('Python conversions', () => {
  it('pythonStr/pythonRepr follow Python', () => {
    expect(pythonStr('x')).toBe('x');
    expect(pythonStr(3)).toBe('3');
    expect(pythonStr(0.5)).toBe('0.5');
    expect(pythonStr(1e-7)).toBe('1e-07');
    expect(pythonStr(null)).toBe('None');
    expect(pythonStr([1, 'a', true, null, { k: [2.5] }])).toBe("[1, 'a', True, None, {'k': [2.5]}]");
    expect(pythonRepr("it's")).toBe('"it\'s"');
    expect(pythonRepr('both \' and "')).toBe("'both \\' and \"'");
    expect(pythonRepr('a\\b\n\t\r\x01\x7f')).toBe("'a\\\\b\\n\\t\\r\\x01\\x7f'");
    expect(pythonRepr('é€😀')).toBe("'é€😀'");
    expect(pythonRepr('\xa0\u200b\u2028')).toBe("'\\xa0\\u200b\\u2028'");
  });

  it('escapeHtml matches html.escape(quote=True)', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;');
  });
});
