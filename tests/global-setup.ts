// Runs once per test run: migrates a template database that every test file clones (fast, isolated).
import { createTemplateDatabase } from './fixtures/database.ts'

export default async function setup() {
  await createTemplateDatabase()
}
