import type { AppContext } from '../app/context.ts';
import { authorize, type PatientPrincipal } from '../access/index.ts';
import { findInsuredById, type InsuredPerson } from '../insured/index.ts';
import { invalid, notFound } from '../shared/errors.ts';

/** Contact details as typed by the person; the e-mail is required (one-time codes go there). */
export function normalizeContact(input: { email: string; phone?: string | null }) {
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
    throw invalid('email-invalid', 'L’adresse électronique n’est pas valide.', 'email');
  const phone = (input.phone ?? '').replace(/[\s.()-]/g, '');
  if (phone !== '' && !/^\+?\d{9,15}$/.test(phone))
    throw invalid('phone-invalid', 'Le numéro de téléphone n’est pas valide.', 'phone');
  return { email, phone: phone === '' ? null : phone };
}

export async function updateContact(
  ctx: AppContext,
  principal: PatientPrincipal,
  input: { email: string; phone?: string | null },
): Promise<InsuredPerson> {
  authorize(principal, { type: 'profile.manage', patientId: principal.patientId });
  const contact = normalizeContact(input);
  await ctx.db
    .updateTable('patients')
    .set({ ...contact, updated_at: ctx.clock.now().toISOString() })
    .where('id', '=', principal.patientId)
    .execute();
  const person = await findInsuredById(ctx.db, principal.patientId);
  if (!person) throw notFound();
  return person;
}
