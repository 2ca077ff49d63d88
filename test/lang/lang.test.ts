// Language post-processing: accent restoration from the real hunspell dictionaries, punctuation
// fix-ups that leave code alone, language detection, `lang` parsing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ApiError } from '../../src/errors.js';
import { DiacriticRestorer, withCase } from '../../src/lang/diacritics.js';
import { HEAP_BUDGET_MB, dictionaryFor } from '../../src/lang/dictionaries.js';
import { detectLanguage } from '../../src/lang/detect.js';
import { fold } from '../../src/lang/hunspell.js';
import { postprocessLines } from '../../src/lang/index.js';
import { parseLang } from '../../src/lang/languages.js';
import { postprocessSettings } from '../../src/lang/resolve.js';
import { fixPunctuation } from '../../src/lang/punctuation.js';

const restorer = (lang: string) => new DiacriticRestorer(dictionaryFor(lang)!.index, lang);
const line = (text: string) => ({
  text,
  confidence: 0.9,
  bbox: [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
  ] as [number, number][],
});

describe('accent folding', () => {
  it('maps the look-alikes a Latin model emits for letters it lacks', () => {
    assert.equal(fold('Źródło'), 'zrodlo');
    assert.equal(fold('Straße'), 'strasse');
    assert.equal(fold('cœur'), 'coeur');
    assert.equal(fold('příliš'), 'prilis');
  });
});

describe('diacritic restoration (dictionary words only, case kept)', () => {
  it('restores words PP-OCRv4 reads without their accents', () => {
    const fr = restorer('fr');
    assert.equal(fr.token('etre'), 'être');
    assert.equal(fr.token('systeme'), 'système');
    assert.equal(fr.token('Methode'), 'Méthode');
    assert.equal(restorer('es').token('compilacion'), 'compilación');
    assert.equal(restorer('es').token('Guia'), 'Guía');
    const pl = restorer('pl');
    assert.equal(pl.token('zrodlo'), 'źródło');
    assert.equal(pl.token('wiecej,'), 'więcej,');
    assert.equal(restorer('cs').token('nyni'), 'nyní');
    assert.equal(restorer('pt').token('(informacao)'), '(informação)');
    assert.equal(restorer('de').token('Anderungen'), 'Änderungen');
  });

  it('where the model saw an accent, only words with a mark there qualify', () => {
    assert.equal(restorer('fr').token('dediés'), 'dédiés'); // dédies / dédiés
    assert.equal(restorer('it').token('é'), 'è'); // Italian has è, not é
    assert.equal(restorer('it').token('e'), 'e');
  });

  it('reads German ß from the capital B PP-OCRv4 emits for it', () => {
    assert.equal(restorer('de').token('schlieBen'), 'schließen');
  });

  it('German ü read as i or ui, a 6 or & for ó / á: only when the dictionary has exactly that word', () => {
    const de = restorer('de');
    assert.equal(de.token('fir'), 'für');
    assert.equal(de.token('iber'), 'über');
    assert.equal(de.token('Grinden'), 'Gründen');
    assert.equal(de.token('erfuillen.'), 'erfüllen.');
    for (const w of ['ist', 'mit', 'wir', 'Linie', 'Prifsummen']) assert.equal(de.token(w), w);
    const es = restorer('es');
    assert.equal(es.token('opci6n,'), 'opción,');
    assert.equal(es.token('6rdenes'), 'órdenes');
    assert.equal(es.token('&rbol'), 'árbol');
    for (const w of ['x6', 'R&D', 'a&b', 'H6la', '2016']) assert.equal(es.token(w), w);
  });

  it('leaves a word that is itself a word, and ambiguous ones', () => {
    const fr = restorer('fr');
    assert.equal(fr.token('a'), 'a'); // a / à: both words
    assert.equal(fr.token('taches'), 'taches'); // taches, tâches, tâchés...: a word itself
    assert.equal(restorer('es').token('esta'), 'esta'); // esta / está
    assert.equal(restorer('pl').token('ze'), 'ze'); // ze / że
  });

  it('leaves code, paths, identifiers and unknown words alone', () => {
    const fr = restorer('fr');
    for (const t of [
      '/usr/share/systeme',
      'systeme_id',
      'etre()',
      'x2',
      'getSysteme',
      'debian.org',
      'Makefile',
      'TEXDIR',
    ]) {
      assert.equal(fr.token(t), t);
    }
  });

  it('restores elisions and hyphenated compounds part by part', () => {
    const fr = restorer('fr');
    assert.equal(fr.token("l'echelle"), "l'échelle");
    assert.equal(fr.token('peut-etre'), 'peut-être');
  });

  it('never makes a read word wrong: English words, names and English lines stay as read', () => {
    const fr = postprocessLines(
      [
        { text: 'Transfert de fichiers' },
        { text: 'over the Internet with the tools of the project' },
        { text: 'and the mirror is updated' },
      ],
      { lang: 'fr' },
    );
    assert.deepEqual(
      fr.lines.map((l) => l.text),
      ['Transfert de fichiers', 'over the Internet with the tools of the project', 'and the mirror is updated'],
    );
    assert.equal(
      postprocessLines([{ text: 'Debian y su sistema' }], { lang: 'es' }).lines[0].text,
      'Debian y su sistema',
    );
    assert.equal(
      postprocessLines([{ text: 'le systeme doit etre' }], { lang: 'fr' }).lines[0].text,
      'le système doit être',
    );
    // A word broken across lines is no word: "osta-" / "teczny" is not "tęczny".
    assert.equal(
      postprocessLines([{ text: 'wynik osta-' }, { text: 'teczny rezultat' }], { lang: 'pl' }).lines[1].text,
      'teczny rezultat',
    );
  });

  it('keeps ALL CAPS and Initial capitals', () => {
    assert.equal(withCase('ETRE', 'être'), 'ÊTRE');
    assert.equal(withCase('Etre', 'être'), 'Être');
    assert.equal(restorer('fr').token('SYSTEME'), 'SYSTÈME');
  });
});

describe('punctuation fix-ups', () => {
  it('French guillemets from the standalone < > PP-OCRv4 emits', () => {
    assert.equal(
      fixPunctuation('la Charte Debian (< Debian Policy >) est votée'.split(' '), 'fr').join(' '),
      'la Charte Debian (« Debian Policy ») est votée',
    );
    assert.equal(
      fixPunctuation('mentionnant < FTBFS >, cela'.split(' '), 'fr').join(' '),
      'mentionnant « FTBFS », cela',
    );
  });

  it('leaves < > in code, addresses and in other languages untouched', () => {
    for (const l of [
      'if (a < b) { x = b > c; }',
      'OFTC <https://www.oftc.net/>',
      '$ sort < file > sorted',
      'a <= b',
      '#include <stdio.h>',
    ]) {
      assert.equal(fixPunctuation(l.split(' '), 'fr').join(' '), l, l);
    }
    assert.equal(
      fixPunctuation('the (< Debian Policy >) list'.split(' '), 'en').join(' '),
      'the (< Debian Policy >) list',
    );
  });

  it('en dash between words, never an option, a range or arithmetic', () => {
    assert.equal(fixPunctuation('geschehen - lesen Sie'.split(' '), 'de').join(' '), 'geschehen – lesen Sie');
    for (const l of ['ls - l', 'x = a - b', 'pages 1 - 3', 'run -v - file'])
      assert.equal(fixPunctuation(l.split(' '), 'de').join(' '), l);
    assert.equal(fixPunctuation('second axes - see set'.split(' '), 'en').join(' '), 'second axes - see set');
  });

  it('Polish, German, Czech „ read as a comma glued to a word, when a closing quote follows', () => {
    assert.equal(fixPunctuation(',overfull hbox".'.split(' '), 'pl').join(' '), '„overfull hbox”.');
    assert.equal(
      fixPunctuation(',FORTRAN", ,Fortran" i ,fortran\'.'.split(' '), 'pl').join(' '),
      '„FORTRAN”, „Fortran” i „fortran”.',
    );
    assert.equal(fixPunctuation('das ,Paket" hier'.split(' '), 'de').join(' '), 'das „Paket“ hier');
    for (const l of ['a ,b c', 'foo(a ,b)', 'f(a ,b, "c")'])
      assert.equal(fixPunctuation(l.split(' '), 'pl').join(' '), l, l);
    assert.equal(fixPunctuation(',overfull hbox".'.split(' '), 'fr').join(' '), ',overfull hbox".');
  });

  it('Spanish ¿ ¡ from a leading ? ! closed later on the line', () => {
    assert.equal(
      fixPunctuation('?Como se instala? Muy facil.'.split(' '), 'es').join(' '),
      '¿Como se instala? Muy facil.',
    );
    assert.equal(fixPunctuation('!Hola!'.split(' '), 'es').join(' '), '¡Hola!');
    assert.equal(fixPunctuation('?Como se instala'.split(' '), 'es').join(' '), '?Como se instala');
  });
});

describe('postprocessLines', () => {
  it('changes words and rebuilds the line text from them; keeps boxes', () => {
    const w = (text: string) => ({
      text,
      confidence: 0.9,
      bbox: [
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ],
    });
    const input = [
      {
        ...line('Chaque developpeur doit etre capable'),
        words: ['Chaque', 'developpeur', 'doit', 'etre', 'capable'].map(w),
      },
    ];
    const r = postprocessLines(input, { lang: 'fr' });
    assert.equal(r.language, 'fr');
    assert.equal(r.lines[0].text, 'Chaque développeur doit être capable');
    assert.deepEqual(
      r.lines[0].words!.map((x) => x.text),
      ['Chaque', 'développeur', 'doit', 'être', 'capable'],
    );
    assert.equal(r.lines[0].words![0], input[0].words[0]);
    assert.equal(input[0].text, 'Chaque developpeur doit etre capable', 'the input is not modified');
    assert.equal(r.restored, 2);
  });

  it('can be turned off, and does nothing when the set reads accents', () => {
    const input = [line('doit etre capable')];
    assert.equal(postprocessLines(input, { lang: 'fr', diacritics: false }).lines[0].text, 'doit etre capable');
    assert.equal(postprocessLines(input, { lang: 'fr', readsAccents: true }).lines[0].text, 'doit etre capable');
  });

  it('detects the language of accent-less OCR text', () => {
    assert.equal(
      detectLanguage(
        'Chaque developpeur doit etre capable de travailler avec le systeme de suivi des bogues de Debian',
      ),
      'fr',
    );
    assert.equal(
      detectLanguage('Several suites are used to provide stable release packages and the testing distribution'),
      'en',
    );
    assert.equal(
      detectLanguage('Dieser Abschnitt enthalt Informationen uber die Anderungen, die man machen sollte'),
      'de',
    );
    assert.equal(detectLanguage('x = 1'), 'und');
  });

  it('a near tie of trigram scores is broken by the dictionaries (real OCR of tlguide-cs p44)', () => {
    // PP-OCRv4's reading of the corpus page: Czech release notes full of paths and commands, on
    // which franc's trigrams rank Portuguese first, Czech within 0.01.
    const lines = [
      'Mac TEX: x86_64-darwin nyni podporuje 10.12 a vySsi (Sierra, High Sierra, Mojave);',
      'x86_64-darwinlegacy jeste porad podporuje 10.6 a novejsi. Kontrola pravopisu Excalibur jiz',
      'neni zahrnuta, protoze vyzaduje 32-bitovou podporu.',
      'Platformy: odstranena sparc-solaris.',
      '9.2',
      ' 2020',
      'Vseobecne:',
      '• Primitiv \\input ve vsech strojich TeXu, vcetne tex, nyni rovnez prijima argument',
      'group-delimited nazev souboru, jako systémove zavislé rozsireni. Pouziti se snandard-',
      'nim space /token-delimited nazvem souboru je uplne nezmeneno. The group-delimited',
      'argument byl predtim implementovan v Lua TeXu; nyni je k dispozici pro vsechny stroje.',
      'ASCII znaky dvojitych uvozovek (") jsou odstraneny z nazvu souboru, ale jinak to',
      'zustane nezmeneno po tokenizaci. Toto v soucasnosti neovlivni prikaz LATeXu \\input,',
      'protoze se jedna o redefinici standardniho primitivu \\input.',
      '• Nova volba --cnf-line pro kpsewhich, tex, mf a vsechny dalsi stroje, pro podporu',
      'libovolné nastaveni konfgurace na prikazovém radku.',
      '• Pridani ruznych primitivu do ruznych stroju v tomto roce a v predchozich letech je',
      'zamysleno aby vyustilo do spolecné sady funkcionality dostupné ve vsech strojich (ITEX',
      'News #3l, https://latex-project.org/news).',
      'epTEX, eupTEX: Nové primitivy \\Uchar, \\Ucharcat, \\current (x) spacingmode,',
      '\\ifincsname; opraveny \\fontchar?? a \\iffontchar. Jenom pro eupTEX: \\currentcjktoken.',
      'Lua TeX: Integrace s knihovnou HarfBuzz, dostupn& jako nové stroje luahbtex (pou-',
      'Zito pro lualatex) a luajithbtex. Nové primitivy: \\eTeXgluestretch, \\eTeXglueshrink,',
      '\\eTeXglueorder.',
      'pdfTEX: Novy primitiv \\pdfmajorversion; to pouze meni Cislo verze ve vystupu PDF;',
    ].map(line);
    assert.notEqual(detectLanguage(lines.map((l) => l.text).join('\n')), 'cs', 'trigrams alone miss it');
    assert.equal(postprocessLines(lines, { lang: 'auto' }).language, 'cs');
  });

  it('a listing of upper-case names and codes names no language (real OCR of the GLPK manual p155)', () => {
    // An MPS data file printed in Debian's GLPK manual: franc's trigrams rank French first, and
    // naming French would load its dictionary (tens of MB of RSS) for a page with no prose.
    const lines = [
      '*000000001111111111222222222233333333334444444444555555555566',
      '*234567890123456789012345678901234567890123456789012345678901',
      'NAME',
      'ROWS',
      'N VALUE',
      'E',
      'YIELD',
      'L FE',
      'L CU',
      'L MN',
      'L MG',
      'G AL',
      'L SI',
      'COLUMNS',
      'BIN1',
      'BIN2',
      'BIN3',
      'BIN4',
      'BIN5',
      'ALUM',
      'SILICON',
      'RHS',
      'RHS1',
      'RANGES',
      'RNG1',
      'BOUNDS',
      'UP BND1',
      'UP',
      'L0',
      'UP',
      'L0',
      'UP',
      'UP',
      'ENDATA',
      'PLAN',
      'VALUE',
      '.03000',
      'FE',
      '.15000',
      'MN',
    ].map(line);
    assert.equal(postprocessLines(lines, { lang: 'auto' }).language, 'und');
    // The same words in lower case are prose enough to be told.
    assert.notEqual(
      detectLanguage('The value of the yield row and the bounds of the columns are given in the plan below'),
      'und',
    );
  });

  it('a tie no dictionary knows half of is undetermined (Latin filler of the layout corpus, papertex p4)', () => {
    const lines = [
      'paperTeX , VIII Iunii MMVII',
      'SECTION B',
      'my papertex edition 4 / 5',
      'amet pretium fermentum,',
      'arcu massa interdum me-',
      'tus, a varius justo ante sed',
      'velit. Class aptent taciti',
      'sociosqu ad litora torquent',
      'per conubia nostra, per',
      'inceptos hymenaeos. Pha-',
      'sellus non elit. Cras ornare',
      'blandit felis. Praesent ac-',
      'cumsan commodo neque.',
      'Pellentesque eu massa. Vi-',
      'vamus sed lorem. Mauris',
      'semper augue quis mi. Sed',
      'lorem enim, condimentum',
      'porttitor, condimentum',
      'sit amet, condimentum in,',
      'mi. Pellentesque eu enim',
    ].map(line);
    assert.notEqual(detectLanguage(lines.map((l) => l.text).join('\n')), 'und', 'trigrams alone name a language');
    const r = postprocessLines(lines, { lang: 'auto' });
    assert.equal(r.language, 'und');
    assert.equal(r.restored, 0);
  });
});

describe('lang parameter', () => {
  it('accepts codes, regions and aliases', () => {
    assert.equal(parseLang('fr'), 'fr');
    assert.equal(parseLang('pt-BR'), 'pt');
    assert.equal(parseLang('FR'), 'fr');
    assert.equal(parseLang('auto'), 'auto');
    assert.equal(parseLang('zh'), 'ch');
  });
  it('rejects garbage and unknown languages with a 400 naming the parameter', () => {
    for (const bad of ['', 'fr;rm -rf', '../../etc', 'x'.repeat(30), 'qq']) {
      assert.throws(
        () => parseLang(bad),
        (e: unknown) => e instanceof ApiError && e.statusCode === 400 && /lang/.test(e.message),
        bad,
      );
    }
  });
});

describe('dictionaries per thread', () => {
  it('keeps what fits the heap budget, the least recently used dropped', () => {
    const small = Object.fromEntries(['fr', 'es', 'de', 'it'].map((l) => [l, dictionaryFor(l)!]));
    assert.ok(small.fr.heapMb > 10 && small.fr.heapMb < 40, `fr estimated at ${small.fr.heapMb} MB`);
    // Four small ones (about 70 MB) stay together; a cache of three reloaded fr here.
    assert.equal(dictionaryFor('fr'), small.fr, 'fr kept beside three small ones');
    // All nine weigh a little more than the budget: the least recently used makes room.
    const big = ['pt', 'pl', 'cs', 'nl', 'en'].map((l) => dictionaryFor(l)!);
    assert.equal(dictionaryFor('en'), big[4], 'the newest is kept');
    assert.equal(dictionaryFor('pt'), big[0], 'all but the oldest fit');
    assert.notEqual(dictionaryFor('es'), small.es, 'es, the least recently used, was dropped and is loaded again');
    assert.ok(big.every((d) => d.heapMb < HEAP_BUDGET_MB / 2));
    assert.equal(dictionaryFor('xx'), undefined);
  });
});

describe('ligatures', () =>
  it('read as a lone f come back when exactly one dictionary word results', () => {
    const lines = [{ text: 'The foating point fle has a confict; the offce is fine. Keep fax and of.' }];
    const { lines: out } = postprocessLines(lines, { lang: 'en' });
    assert.equal(out[0].text, 'The floating point file has a conflict; the office is fine. Keep fax and of.');
  }));

describe('restorer steps per model set', () =>
  it("PP-OCRv6 tiny keeps accent restoration but not the fix-ups for PP-OCRv4's misreadings", () => {
    // PP-OCRv6 reads ligatures, ü and ß itself; the fix-ups then only invent words ("BUF" -> "BUFF" on dev).
    const tiny = postprocessSettings('pp-ocrv6-tiny');
    assert.deepEqual(tiny, {
      readsAccents: false,
      restoreSteps: { ligatures: false, misreadU: false, sharpS: false, digits: false },
    });
    const en = postprocessLines([{ text: 'The foating point fle, BUF and the systeme' }], { lang: 'en', ...tiny });
    assert.equal(en.lines[0].text, 'The foating point fle, BUF and the systeme');
    const de = postprocessLines([{ text: 'fir die schlieBen Schlussel' }], { lang: 'de', ...tiny });
    assert.equal(de.lines[0].text, 'fir die schlieBen Schlüssel');
    const es = postprocessLines([{ text: 'la opci6n' }], { lang: 'es', ...tiny });
    assert.equal(es.lines[0].text, 'la opci6n');
    const fr = postprocessLines([{ text: 'le systeme doit etre' }], { lang: 'fr', ...tiny });
    assert.equal(fr.lines[0].text, 'le système doit être');
    // PP-OCRv4 (no settings in its entry) keeps every step; "fir" is an English word, left as read.
    const v4 = postprocessLines([{ text: 'iber die schlieBen Schlussel' }], {
      lang: 'de',
      ...postprocessSettings('pp-ocrv4'),
    });
    assert.equal(v4.lines[0].text, 'über die schließen Schlüssel');
    assert.equal(
      postprocessLines([{ text: 'la opci6n' }], { lang: 'es', ...postprocessSettings('pp-ocrv4') }).lines[0].text,
      'la opción',
    );
  }));
