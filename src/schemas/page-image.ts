// Schema of GET /ocr/job/:job_id/page/:n.png (page previews for the web page).
import { Type } from '@sinclair/typebox';

import { ErrorBody } from './common.js';

export const pageImageRoute = {
  summary: 'A page of a finished job as a PNG (at most 1600 px wide)',
  description:
    'The image the job read (EXIF orientation applied) or the PDF page rendered, scaled down; ' +
    'boxes of the result scale by width / page width.',
  tags: ['jobs'],
  params: Type.Object({ job_id: Type.String({ maxLength: 100 }), n: Type.Integer({ minimum: 1, maximum: 100000 }) }),
  response: {
    200: Type.String({ description: 'image/png' }),
    404: ErrorBody,
    422: ErrorBody,
  },
};
