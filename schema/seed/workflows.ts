import { stepType, type StepType } from '../wire/columnValues.js'

/** A seeded workflow step; `documentStep` is the 1-based position of the earlier step whose document it continues. */
export interface WorkflowStepSeed {
  stepType: StepType
  allowBackward: boolean
  documentStep: number | null
  configuration: unknown
}

/** The review link an editor step appends at the end of the document (`~SESSION_HASH~` becomes the session's hash). */
const addLinkEOD = {
  fields: [
    {
      type: 'addLinkEOD',
      required: false,
      fields: [
        { name: 'reviewLink', help: '`~SESSION_HASH~` is replaced with the session hash', default: 'https://example.com/document?hash=~SESSION_HASH~' },
        { name: 'reviewText', help: 'Do you find the feedback helpful?' },
      ],
    },
  ],
}

/** A modal step that compares the two editor revisions with an NLP skill. */
const nlpEditComparison = {
  fields: [{ type: 'nlpEditComparison', required: true, fields: [{ name: 'skillName', required: true }, { name: 'dataSource', required: true, default: 'Editor Document' }] }],
}

/** The annotator step of the assessment workflows: the assessment rubric to apply. */
const assessment = (withNlp: boolean) => ({
  fields: [
    { key: 'configFile', type: 'select', required: true, options: { table: 'configuration', name: 'name', value: 'id', filter: [{ key: 'type', value: 0 }] } },
    { key: 'forcedAssessment', type: 'switch', required: false, default: false },
    ...(withNlp ? [{ type: 'nlpAssessment', required: true, fields: [{ name: 'skillName', required: true }] }] : []),
  ],
})

/** A modal step asking for textual feedback on the review. */
const textualFeedback = { fields: [{ type: 'textualFeedback', required: false }] }

const step = (type: StepType, options: Partial<Omit<WorkflowStepSeed, 'stepType'>> = {}): WorkflowStepSeed => ({
  stepType: type,
  allowBackward: options.allowBackward ?? false,
  documentStep: options.documentStep ?? null,
  configuration: options.configuration ?? null,
})

/** Annotate with a rubric (and an NLP assessment), write the review, then give feedback. */
const assessmentSteps = (withNlp: boolean) => [
  step(stepType.annotator, { configuration: assessment(withNlp) }),
  step(stepType.editor, { allowBackward: true, documentStep: 1, configuration: addLinkEOD }),
  step(stepType.modal, { configuration: textualFeedback }),
]

/** The workflows every installation has, matched by name when seeding. */
export const workflowSeeds: readonly { name: string; description: string; steps: readonly WorkflowStepSeed[] }[] = [
  {
    name: 'Peer Review Workflow',
    description: 'Review a PDF document, then write free-text feedback.',
    steps: [step(stepType.annotator), step(stepType.editor, { allowBackward: true, documentStep: 1, configuration: addLinkEOD })],
  },
  {
    name: 'Ruhr-Uni Bochum Project',
    description: 'Correct a document over two revisions, with an NLP comparison of the edits in between.',
    steps: [
      step(stepType.editor),
      step(stepType.modal, { configuration: nlpEditComparison }),
      step(stepType.editor, { documentStep: 1 }),
      step(stepType.modal, { configuration: nlpEditComparison }),
    ],
  },
  {
    name: 'Ruhr-Uni Bochum Project (Control)',
    description: 'Correct a document over two revisions, without NLP support (control group).',
    steps: [step(stepType.editor), step(stepType.modal), step(stepType.editor, { documentStep: 1 }), step(stepType.modal)],
  },
  {
    name: 'Annotation Workflow',
    description: 'Annotate a PDF document.',
    steps: [step(stepType.annotator)],
  },
  {
    name: 'Peer Review Workflow (Assessment)',
    description: 'Review a PDF document with an assessment rubric, write free text, and give feedback.',
    steps: assessmentSteps(false),
  },
  {
    name: 'Peer Review Workflow (Assessment with AI)',
    description: 'Review a PDF document with an assessment rubric and an NLP assessment, write free text, and give feedback.',
    steps: assessmentSteps(true),
  },
]
