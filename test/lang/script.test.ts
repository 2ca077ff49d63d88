// Cyrillic script handling (src/lang/script.ts): one script per word, the Cyrillic language of a
// page, and the hint that a default-set reading is a Cyrillic page read with Latin letters.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

import { postprocessLines } from '../../src/lang/index.js';
import { cyrillicLanguage, cyrillicShare, oneScript, oneScriptLine, suggestsCyrillic } from '../../src/lang/script.js';
import { corpusPath, withoutCorpus } from '../corpus.js';

describe('one script per word', () => {
  it('maps a mixed word to the script of its unambiguous letters', () => {
    // "Lиvе": L, v Latin against и Cyrillic is a tie; "httрs://tug.оrg" is an address: Latin.
    assert.equal(oneScript('httрs://tug.оrg', true), 'https://tug.org');
    assert.equal(oneScript('\\usepаckage', true), '\\usepackage');
    assert.equal(oneScript('Привeт', false), 'Привет'); // a Latin e among Cyrillic letters
    assert.equal(oneScript('prоgram', true), 'program'); // a Cyrillic о among Latin letters
    assert.equal(oneScript('слово', false), 'слово');
    assert.equal(oneScript('word', true), 'word');
  });
  it('a tie takes the line script', () => {
    assert.deepEqual(oneScriptLine(['Сеpвер', 'работает']), ['Сервер', 'работает']);
    assert.deepEqual(oneScriptLine(['Tеxt', 'and', 'more']), ['Text', 'and', 'more']);
  });
});

describe('the Cyrillic language of a page', () => {
  it('tells Russian, Ukrainian, Bulgarian, Belarusian, Serbian, Macedonian and Kazakh apart', () => {
    assert.equal(
      cyrillicLanguage(
        'Съешь же ещё этих мягких французских булок, да выпей же чаю. Это простой текст на русском языке.',
      ),
      'ru',
    );
    assert.equal(
      cyrillicLanguage('Цей простий текст українською мовою, який повинен визначитися правильно і без проблем.'),
      'uk',
    );
    assert.equal(
      cyrillicLanguage('Това е прост текст на български език, който трябва да бъде разпознат правилно.'),
      'bg',
    );
    assert.equal(cyrillicLanguage('Гэта просты тэкст на беларускай мове, які ўсё роўна павінен быць пазнаны.'), 'be');
    assert.equal(
      cyrillicLanguage('Ово је једноставан текст на српском језику, који ћемо препознати без грешке и ђака.'),
      'sr',
    );
    assert.equal(
      cyrillicLanguage('Ова е едноставен текст на македонски јазик, кој треба да се препознае ѓаволски брзо и ќе.'),
      'mk',
    );
    assert.equal(cyrillicLanguage('Бұл қазақ тілінде жазылған қарапайым мәтін, оны дұрыс тану керек.'), 'kk');
  });
  it('a Cyrillic page read with lang=auto says its language and gets one script per word', () => {
    const lines = [
      { text: 'Документация по установке httрs://tug.оrg' },
      { text: 'и настройке системы TeX Live для работы' },
    ];
    const r = postprocessLines(lines, { lang: 'auto' });
    assert.equal(r.language, 'ru');
    assert.equal(r.lines[0]!.text, 'Документация по установке https://tug.org');
  });
});

describe('suggestsCyrillic on real readings', () => {
  const dir = corpusPath('gt', 'cyr');
  it('a Latin reading stays Latin; a Cyrillic share is measured on letters only', () => {
    const en = [{ text: 'The quick brown fox jumps over the lazy dog and keeps running far away', confidence: 0.99 }];
    assert.equal(suggestsCyrillic(en), false);
    assert.equal(cyrillicShare('abc где'), 0.5);
  });
  it(
    'garbage Latin of the kind the default set makes of Cyrillic is flagged',
    { skip: withoutCorpus('gt/cyr') },
    () => {
      // The ground truth's Cyrillic letters turned into what a Latin-only recognizer emits for them.
      const garble: Record<string, string> = {
        б: '6',
        в: 'B',
        г: 'r',
        д: 'A',
        ж: 'X',
        з: '3',
        и: 'N',
        й: 'N',
        к: 'K',
        л: 'JI',
        м: 'M',
        н: 'H',
        п: 'n',
        т: 'T',
        ф: 'O',
        ц: 'U',
        ч: '4',
        ш: 'W',
        щ: 'W',
        ъ: 'b',
        ы: 'bI',
        ь: 'b',
        э: '3',
        ю: 'IO',
        я: 'R',
        а: 'a',
        е: 'e',
        о: 'o',
        р: 'p',
        с: 'c',
        у: 'y',
        х: 'x',
      };
      for (const f of readdirSync(dir).slice(0, 4)) {
        const gt = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { lines: { text: string }[] };
        const lines = gt.lines.map((l) => ({
          text: [...l.text].map((c) => garble[c] ?? c).join(''),
          confidence: 0.85,
        }));
        assert.equal(suggestsCyrillic(lines), true, f);
      }
    },
  );
});
