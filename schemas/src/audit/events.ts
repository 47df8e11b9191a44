// Auditor reads are themselves on the record: who looked at what, when. One aggregate per auditor,
// on the subject `<ns>.evt.<p>.<auditorId>.audit`.
import Type from 'typebox';
import { defineEvent } from '../event.ts';
import { Id, Nullable } from '../primitives.ts';

export const AuditAccessed = defineEvent({
  type: 'AuditAccessed',
  description: 'An auditor read data through the audit API (the route, its parameters and whose data).',
  versions: [
    Type.Object(
      {
        auditorId: Id,
        resource: Type.String({ maxLength: 200 }),
        query: Type.Record(Type.String({ maxLength: 50 }), Type.String({ maxLength: 200 })),
        subjectUserId: Nullable(Id),
      },
      { additionalProperties: false },
    ),
  ],
  examples: [
    {
      auditorId: '0192f4a7-0000-7000-8000-0000000000aa',
      resource: 'GET /api/audit/positions',
      query: { asOf: '2026-11-24T12:00:00.000Z', user: '0192f4a7-0000-7000-8000-000000000001' },
      subjectUserId: '0192f4a7-0000-7000-8000-000000000001',
    },
  ],
});

export const auditEvents = [AuditAccessed] as const;
